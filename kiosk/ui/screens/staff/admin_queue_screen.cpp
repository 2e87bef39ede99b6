// Admin: connection and queue. Whether the council was reached and when, the last error in plain
// words, counts by state with the age of the oldest waiting form, each held-back form with the
// council's message and "Try again", and "Send now".
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawAdminQueueScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const QueueView& queue = state.staff.queue;
    beginAdminPage(state, ui, intents, "Connection and queue");

    std::vector<SummaryListRow> rows;
    std::string connection = !queue.syncRunning ? "Sending is switched off on this kiosk"
                             : queue.online     ? "Connected to the council"
                                                : "Working offline";
    rows.push_back({"Connection", connection, ""});
    rows.push_back({"Last sent",
                    queue.lastSuccessMillis > 0
                        ? dateTimeText(queue.lastSuccessMillis) + " (" +
                              ageText(queue.lastSuccessMillis, queue.loadedAtMillis) + ")"
                        : "Nothing sent yet",
                    ""});
    rows.push_back({"Last problem", queue.lastError.empty() ? "None" : queue.lastError, ""});
    std::string waiting = std::to_string(queue.waiting);
    if (queue.waiting > 0 && queue.oldestWaitingCreatedAtMillis > 0)
        waiting += " (oldest made " + ageText(queue.oldestWaitingCreatedAtMillis, queue.loadedAtMillis) + ")";
    rows.push_back({"Forms waiting to be sent", waiting, ""});
    rows.push_back({"Forms sent", std::to_string(queue.delivered), ""});
    rows.push_back({"Forms held back", std::to_string(queue.heldBack), ""});
    if (queue.deliveredOutOfBand > 0)
        rows.push_back({"Delivered by export", std::to_string(queue.deliveredOutOfBand), ""});
    if (queue.possibleDuplicates > 0)
        rows.push_back({"Possibly sent twice",
                        std::to_string(queue.possibleDuplicates) +
                            " (the council's system could not be asked whether the first copy arrived; "
                            "ask the council to check)",
                        ""});
    rows.push_back({"Help records waiting", std::to_string(queue.helpSessionsWaiting), ""});
    summaryList(ui, rows);

    if (primaryButton(ui, "Send now")) intents.push_back(Intent{staff::SyncNow{}});
    hintText(ui, queue.syncRunning
                     ? "The figures above follow the sending as it happens."
                     : "Sending is off on this kiosk, so \"Send now\" only marks forms as due.");
    verticalSpace(ui, 4);

    subheadingText(ui, "Held back by the council");
    if (queue.heldBackItems.empty()) {
        bodyText(ui, "None. Every form was accepted or is waiting to be sent.");
    } else {
        hintText(ui,
                 "The council would not accept these. Read its message; fix the cause with the council, then "
                 "try again, or export them.");
        for (const HeldBackItem& item : queue.heldBackItems) {
            verticalSpace(ui, 2);
            subheadingText(ui, item.reference + " - " + item.serviceId);
            bodyText(ui, item.councilMessage.empty() ? "No message from the council." : item.councilMessage);
            captionText(ui, "Made " + dateTimeText(item.createdAtMillis));
            if (secondaryButton(ui, "Try again " + item.reference))
                intents.push_back(Intent{staff::RetryHeldBack{item.submissionId}});
        }
    }
    endContent(ui);
}

}  // namespace kiosk::ui
