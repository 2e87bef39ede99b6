// Tests of staff mode through the root reducer (include/kiosk/modes/staff_mode.h): the hidden
// entry, signing in with a PIN, what a signed-in volunteer changes (banner, no time limit, the id
// on sealed forms), every way of signing out and its recorded reason, the admin-only screens,
// and the anonymous usage counts.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "flow_test_pack.h"
#include "kiosk/kiosk_flow.h"

using namespace kiosk;

namespace {

constexpr std::int64_t kStart = 1'767'225'600'000;  // 2026-01-01 00:00 UTC
const StaffMember kVolunteer{"stf-0123456789ab", "Priya Shah", StaffRole::Volunteer};
const StaffMember kAdmin{"stf-ba9876543210", "Sam Admin", StaffRole::Admin};

struct StaffFlow {
    ContentPack pack = testing::makeFlowTestPack();
    KioskState state;
    std::int64_t now = kStart;

    StaffFlow() {
        state.pack = &pack;
        state.settings.inactivityMillis = 120'000;
        state.settings.warningMillis = 30'000;
    }
    StaffFlow(const StaffFlow&) = delete;

    Commands apply(const Intent& intent) { return reduce(state, intent, now); }
    Commands staff(const StaffIntent& intent) { return apply(Intent{intent}); }
    std::string screen() const { return screenName(state); }

    // The hidden entry, the list of names, a PIN typed on the pad and the desk's answer.
    void signIn(const StaffMember& member) {
        apply(OpenStaffEntry{});
        staff(staff::StaffListLoaded{{{kVolunteer.staffId, kVolunteer.name, kVolunteer.role, false, false},
                                      {kAdmin.staffId, kAdmin.name, kAdmin.role, false, false}}});
        staff(staff::ChooseName{member.staffId});
        if (member.role == StaffRole::Volunteer)
            for (char digit : std::string("5831")) staff(staff::PinKey{digit});
        else
            staff(staff::EditSecret{"correct horse battery staple"});
        staff(staff::SubmitSecret{});
        staff(staff::SignInChecked{SignInResult::SignedIn, member, 0, 0});
    }
};

template <typename T>
std::vector<T> requestsOf(const Commands& commands) {
    std::vector<T> found;
    for (const Command& command : commands)
        if (const auto* request = std::get_if<StaffRequest>(&command))
            if (const auto* typed = std::get_if<T>(request)) found.push_back(*typed);
    return found;
}

std::vector<UsageKind> usageOf(const Commands& commands) {
    std::vector<UsageKind> kinds;
    for (const Command& command : commands)
        if (const auto* counted = std::get_if<CountUsage>(&command)) kinds.push_back(counted->kind);
    return kinds;
}

}  // namespace

TEST_CASE("The hidden entry asks for the staff list, and a PIN goes to the desk and is forgotten",
          "[staff]") {
    StaffFlow flow;
    const Commands opened = flow.apply(OpenStaffEntry{});
    CHECK(flow.screen() == "staff-choose-name");
    CHECK(requestsOf<staff_request::LoadAccounts>(opened).size() == 1);
    CHECK_FALSE(flow.state.staff.accountsLoaded);

    flow.staff(
        staff::StaffListLoaded{{{kVolunteer.staffId, kVolunteer.name, kVolunteer.role, false, false}}});
    flow.staff(staff::ChooseName{"stf-not-listed"});
    CHECK(flow.screen() == "staff-choose-name");  // only a listed account can be chosen
    flow.staff(staff::ChooseName{kVolunteer.staffId});
    CHECK(flow.screen() == "staff-enter-secret");

    flow.staff(staff::SubmitSecret{});
    CHECK(flow.state.staff.message == "Enter your PIN");
    for (char digit : std::string("583179261")) flow.staff(staff::PinKey{digit});
    CHECK(flow.state.staff.secret == "58317926");  // at most 8 digits
    flow.staff(staff::PinDelete{});
    flow.staff(staff::PinKey{'6'});
    const Commands submitted = flow.staff(staff::SubmitSecret{});
    const auto checks = requestsOf<staff_request::CheckSecret>(submitted);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].staffId == kVolunteer.staffId);
    CHECK(checks[0].secret == "58317926");
    CHECK(flow.state.staff.secret.empty());
    CHECK(flow.screen() == "staff-checking");
    // Taps on the pad while the PIN is checked change nothing.
    flow.staff(staff::PinKey{'1'});
    CHECK(flow.state.staff.secret.empty());
}

TEST_CASE("Read aloud never announces the hidden entry", "[staff]") {
    StaffFlow flow;
    flow.apply(Begin{});
    flow.apply(ChooseLanguage{"en"});
    flow.apply(ReadAloud{});
    const Commands opened = flow.apply(OpenStaffEntry{});
    CHECK(findCommand<StopSpeech>(opened) != nullptr);
    const PageShown* shown = findCommand<PageShown>(opened);
    REQUIRE(shown != nullptr);
    CHECK_FALSE(shown->readAloud);
    CHECK(findCommand<ReadPageAfterFrame>(opened) == nullptr);
}

TEST_CASE("A wrong PIN, a wait and a lock each say what to do, and nobody is signed in", "[staff]") {
    StaffFlow flow;
    flow.apply(OpenStaffEntry{});
    flow.staff(
        staff::StaffListLoaded{{{kVolunteer.staffId, kVolunteer.name, kVolunteer.role, false, false}}});
    flow.staff(staff::ChooseName{kVolunteer.staffId});
    const auto tryPin = [&](staff::SignInChecked answer) {
        flow.staff(staff::PinKey{'1'});
        flow.staff(staff::SubmitSecret{});
        return flow.staff(answer);
    };
    tryPin({SignInResult::WrongSecret, std::nullopt, 0, 7});
    CHECK(flow.state.staff.message == "That is not right. Check it and try again.");
    tryPin({SignInResult::WrongSecret, std::nullopt, flow.now + 30'000, 6});
    CHECK(flow.state.staff.message == "That is not right. You can try again in 30 seconds.");
    tryPin({SignInResult::WrongSecret, std::nullopt, flow.now + 60'000, 6});
    CHECK(flow.state.staff.message == "That is not right. You can try again in 1 minute.");
    tryPin({SignInResult::MustWait, std::nullopt, flow.now + 8 * 60'000, 6});
    CHECK(flow.state.staff.message == "Too many tries. You can try again in 8 minutes.");
    const Commands locked = tryPin({SignInResult::WrongSecret, std::nullopt, 0, 0});
    CHECK(flow.state.staff.message == "That is not right. The account is now locked: ask an admin.");
    CHECK(requestsOf<staff_request::LoadAccounts>(locked).size() == 1);  // the list shows it locked
    CHECK(flow.screen() == "staff-enter-secret");
    CHECK_FALSE(flow.state.staffMember);
}

TEST_CASE("A signed-in volunteer has the banner, no time limit, and their id on every form", "[staff]") {
    StaffFlow flow;
    flow.signIn(kVolunteer);
    REQUIRE(flow.screen() == "volunteer-home");
    CHECK(volunteerAssisting(flow.state));
    // The resident's warning never comes; only the volunteer's own quiet time counts.
    CHECK(nextDeadlineMillis(flow.state) == flow.now + flow.state.settings.staffIdleMillis);

    flow.staff(staff::HelpResident{});
    CHECK(flow.screen() == "language");
    flow.apply(ChooseLanguage{"en"});
    CHECK(flow.screen() == "services");
    flow.apply(resident::ChooseService{"housing-advice"});
    flow.apply(resident::StartForm{});
    REQUIRE(flow.screen() == "question");
    flow.apply(resident::SelectChoice{"no"});
    flow.apply(resident::Continue{});
    flow.apply(resident::Continue{});  // the phone number is optional
    REQUIRE(flow.screen() == "check-answers");
    const Commands sent = flow.apply(resident::Send{});
    const SealForm* seal = findCommand<SealForm>(sent);
    REQUIRE(seal != nullptr);
    CHECK(seal->volunteerId == kVolunteer.staffId);
    const Commands confirmed = flow.apply(resident::SealSucceeded{"SD1-0000-001"});
    const auto counted = findCommand<CountUsage>(confirmed);
    REQUIRE(counted != nullptr);
    CHECK(counted->kind == UsageKind::FormSent);
    CHECK(counted->assisted);
}

TEST_CASE("Nobody signed in: sealed forms carry no volunteer", "[staff]") {
    StaffFlow flow;
    flow.apply(Begin{});
    flow.apply(ChooseLanguage{"en"});
    flow.apply(resident::ChooseService{"housing-advice"});
    flow.apply(resident::StartForm{});
    flow.apply(resident::SelectChoice{"no"});
    flow.apply(resident::Continue{});
    flow.apply(resident::Continue{});  // the phone number is optional
    const Commands sent = flow.apply(resident::Send{});
    const SealForm* seal = findCommand<SealForm>(sent);
    REQUIRE(seal != nullptr);
    CHECK(seal->volunteerId.empty());
}

TEST_CASE("Each way out of a staff session is recorded with its reason and wipes it", "[staff]") {
    SECTION("a tap on Sign out") {
        StaffFlow flow;
        flow.signIn(kVolunteer);
        const auto outs = requestsOf<staff_request::RecordSignOut>(flow.staff(staff::SignOut{}));
        REQUIRE(outs.size() == 1);
        CHECK(outs[0].staffId == kVolunteer.staffId);
        CHECK(outs[0].reason == "tapped");
        CHECK(flow.screen() == "attract");
        CHECK_FALSE(flow.state.staffMember);
    }
    SECTION("ten minutes with no touch") {
        StaffFlow flow;
        flow.signIn(kVolunteer);
        flow.now += flow.state.settings.staffIdleMillis - 1;
        flow.apply(Tick{});
        CHECK(flow.state.staffMember);
        flow.now += 1;
        const auto outs = requestsOf<staff_request::RecordSignOut>(flow.apply(Tick{}));
        REQUIRE(outs.size() == 1);
        CHECK(outs[0].reason == "inactivity");
        CHECK(flow.screen() == "attract");
    }
    SECTION("the resident finishes, with the setting on (the default)") {
        StaffFlow flow;
        flow.signIn(kVolunteer);
        flow.staff(staff::HelpResident{});
        flow.apply(ChooseLanguage{"en"});
        flow.state.resident.screen = ResidentScreen::Confirmation;
        const auto outs = requestsOf<staff_request::RecordSignOut>(flow.apply(resident::Finish{}));
        REQUIRE(outs.size() == 1);
        CHECK(outs[0].reason == "resident_finished");
        CHECK(flow.screen() == "attract");
    }
    SECTION("the resident finishes, with the setting off: back to the volunteer's home") {
        StaffFlow flow;
        flow.signIn(kVolunteer);
        flow.staff(staff::ToggleSignOutWhenFinished{});
        flow.staff(staff::HelpResident{});
        flow.apply(ChooseLanguage{"en"});
        flow.apply(resident::ChooseService{"housing-advice"});
        flow.apply(resident::StartForm{});
        REQUIRE(flow.state.resident.form);
        flow.state.resident.screen = ResidentScreen::Confirmation;
        const Commands finished = flow.apply(resident::Finish{});
        CHECK(requestsOf<staff_request::RecordSignOut>(finished).empty());
        CHECK(findCommand<WipeTypedText>(finished) != nullptr);
        CHECK(flow.screen() == "volunteer-home");
        CHECK(flow.state.resident.form == nullptr);  // the resident's answers are gone
        CHECK(flow.state.staffMember);
    }
}

TEST_CASE("Admin screens are only for admins, and each asks for its figures", "[staff]") {
    StaffFlow volunteer;
    volunteer.signIn(kVolunteer);
    volunteer.staff(staff::OpenAdminScreen{StaffScreen::AdminSettings});
    CHECK(volunteer.screen() == "volunteer-home");

    StaffFlow admin;
    admin.signIn(kAdmin);
    CHECK(admin.screen() == "admin-queue");
    CHECK_FALSE(volunteerAssisting(admin.state));  // an admin is not assisting a resident
    const auto loads = requestsOf<staff_request::LoadAdminView>(
        admin.staff(staff::OpenAdminScreen{StaffScreen::AdminUsage}));
    REQUIRE(loads.size() == 1);
    CHECK(loads[0].screen == StaffScreen::AdminUsage);

    admin.staff(staff::OpenAdminScreen{StaffScreen::AdminSettings});
    admin.staff(staff::SetSettingNumber{"idleTimeoutSeconds", 180});
    const auto saves = requestsOf<staff_request::SaveSettings>(admin.staff(staff::SaveSettings{}));
    REQUIRE(saves.size() == 1);
    CHECK(saves[0].actor == kAdmin.staffId);
    CHECK(saves[0].settings.idleTimeoutSeconds == 180);
    const Commands saved = admin.staff(staff::ActionDone{true, "Settings saved", {}});
    CHECK(findCommand<HubSettingsSaved>(saved) != nullptr);
    CHECK(admin.state.settings.inactivityMillis == 180'000);  // applied without a restart

    admin.staff(staff::OpenAdminScreen{StaffScreen::AdminAddStaff});
    admin.staff(staff::EditNewStaff{0, "Jo Bloggs"});
    admin.staff(staff::EditNewStaff{1, "4826"});
    admin.staff(staff::EditNewStaff{2, "4862"});
    CHECK(requestsOf<staff_request::AddVolunteer>(admin.staff(staff::AddVolunteer{})).empty());
    CHECK(admin.state.staff.settingsProblems == std::vector<std::string>{"The two PINs are not the same"});
    admin.staff(staff::EditNewStaff{2, "4826"});
    const auto adds = requestsOf<staff_request::AddVolunteer>(admin.staff(staff::AddVolunteer{}));
    REQUIRE(adds.size() == 1);
    CHECK(adds[0].name == "Jo Bloggs");
    CHECK(adds[0].pin == "4826");
    CHECK(admin.state.staff.newStaffPin.empty());
}

TEST_CASE("Usage is counted once per session for each aid, never for an admin", "[staff][usage]") {
    StaffFlow flow;
    CHECK(usageOf(flow.apply(Begin{})) == std::vector<UsageKind>{UsageKind::SessionStarted});
    flow.apply(ChooseLanguage{"en"});
    CHECK(usageOf(flow.apply(ReadAloud{})) == std::vector<UsageKind>{UsageKind::ReadAloudUsed});
    CHECK(usageOf(flow.apply(ReadAloud{})).empty());
    CHECK(usageOf(flow.apply(SetTextSize{200})) == std::vector<UsageKind>{UsageKind::LargerTextUsed});
    CHECK(usageOf(flow.apply(SetTextSize{150})).empty());
    CHECK(usageOf(flow.apply(ToggleHighContrast{})) == std::vector<UsageKind>{UsageKind::HighContrastUsed});
    flow.apply(resident::ChooseService{"housing-advice"});
    CHECK(usageOf(flow.apply(resident::StartForm{})) == std::vector<UsageKind>{UsageKind::ServiceStarted});

    StaffFlow admin;
    admin.signIn(kAdmin);
    CHECK(usageOf(admin.apply(ReadAloud{})).empty());
}
