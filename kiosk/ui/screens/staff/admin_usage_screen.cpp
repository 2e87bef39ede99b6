// Admin: usage, drawn on the kiosk. Forms sent per day for 30 days, per service and per language;
// each service's funnel (started, reached check answers, sent); the share assisted; use of
// read-aloud, larger text and high contrast; help sessions by topic. Counts only, no one's data.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

std::string serviceTitle(const KioskState& state, const std::string& id) {
    if (state.pack)
        if (const Service* service = state.pack->findService(id)) return service->title.in("en");
    return id;
}

std::string languageName(const KioskState& state, const std::string& code) {
    if (state.pack)
        for (const Language& language : state.pack->languages)
            if (language.code == code) return language.nativeName;
    return code;
}

std::string helpTopicTitle(const KioskState& state, const std::string& id) {
    if (state.pack)
        for (const HelpTopic& topic : state.pack->helpTopics)
            if (topic.id == id) return topic.title;
    return id;
}

std::string percent(int part, int whole) {
    if (whole <= 0) return "none yet";
    return std::to_string((part * 100 + whole / 2) / whole) + "% (" + std::to_string(part) + " of " +
           std::to_string(whole) + ")";
}

}  // namespace

void drawAdminUsageScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const UsageView& usage = state.staff.usage;
    beginAdminPage(state, ui, intents, "Usage");
    hintText(ui, "Counts only: nothing here says who used the kiosk or what they wrote.");
    verticalSpace(ui, 2);

    std::vector<ChartBar> days;
    for (const NamedCount& day : usage.sentPerDay)
        days.push_back(
            {day.name.size() >= 10 ? day.name.substr(8, 2) + "/" + day.name.substr(5, 2) : day.name,
             day.count});
    columnChart(ui, "Forms sent each day, last 30 days", days, 35, 5);

    std::vector<ChartBar> services;
    for (const NamedCount& count : usage.sentPerService)
        services.push_back({serviceTitle(state, count.name), count.count});
    barList(ui, "Forms sent by service", services);

    std::vector<ChartBar> languages;
    for (const NamedCount& count : usage.sentPerLanguage)
        languages.push_back({languageName(state, count.name), count.count});
    barList(ui, "Forms sent by language", languages);

    subheadingText(ui, "How far people got");
    std::vector<SummaryListRow> funnel;
    for (const ServiceFunnel& service : usage.funnels)
        funnel.push_back({serviceTitle(state, service.serviceId),
                          std::to_string(service.started) + " started, " +
                              std::to_string(service.reachedCheckAnswers) + " reached check answers, " +
                              std::to_string(service.sent) + " sent",
                          ""});
    if (funnel.empty()) funnel.push_back({"Services", "No forms started yet", ""});
    summaryList(ui, funnel);

    subheadingText(ui, "Help and accessibility");
    std::vector<SummaryListRow> rows;
    rows.push_back({"Forms sent with a volunteer", percent(usage.sentAssisted, usage.sent), ""});
    rows.push_back({"Sessions using read aloud", percent(usage.sessionsReadAloud, usage.sessions), ""});
    rows.push_back({"Sessions using larger text", percent(usage.sessionsLargerText, usage.sessions), ""});
    rows.push_back({"Sessions using high contrast", percent(usage.sessionsHighContrast, usage.sessions), ""});
    summaryList(ui, rows);

    std::vector<ChartBar> topics;
    for (const NamedCount& count : usage.helpByTopic)
        topics.push_back({helpTopicTitle(state, count.name), count.count});
    barList(ui, "Help given by volunteers, by topic", topics);
    endContent(ui);
}

}  // namespace kiosk::ui
