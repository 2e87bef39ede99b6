// The command executor (kiosk/platform/command_executor.h): each command reaches its service,
// in order, and a seal's outcome is reported back as an intent before the next command runs.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kiosk/platform/command_executor.h"

using namespace kiosk;
using namespace kiosk::platform;

namespace {

// Services that write down what they were asked to do, in one shared log.
struct Log {
    std::vector<std::string> calls;
};

struct RecordingSealer : FormSealer {
    Log& log;
    bool succeed = true;
    std::string answersSeen;
    explicit RecordingSealer(Log& l) : log(l) {}
    std::string volunteerSeen;
    ResidentIntent seal(SealRequest& request, const std::string& volunteerId) override {
        volunteerSeen = volunteerId;
        log.calls.push_back("seal " + request.serviceId);
        answersSeen = request.answersJson;
        request.answersJson.clear();
        if (succeed) return resident::SealSucceeded{"SD1-0000-001"};
        return resident::SealFailed{ErrorCode::DiskFull};
    }
};

struct RecordingSpeech : SpeechControl {
    Log& log;
    explicit RecordingSpeech(Log& l) : log(l) {}
    void resetForNewSession() override { log.calls.push_back("speech reset"); }
    void stopAndForgetPendingRead() override { log.calls.push_back("speech stop"); }
    void applySettings(bool slow, int volume) override {
        log.calls.push_back("speech settings " + std::to_string(slow) + " " + std::to_string(volume));
    }
    void pageShown(bool readAloud) override {
        log.calls.push_back("page shown " + std::to_string(readAloud));
    }
    void readPageAfterFrame() override { log.calls.push_back("read page"); }
};

struct RecordingFonts : FontControl {
    Log& log;
    explicit RecordingFonts(Log& l) : log(l) {}
    void wantTextSize(int percent) override { log.calls.push_back("fonts " + std::to_string(percent)); }
};

struct RecordingTypedText : TypedTextControl {
    Log& log;
    explicit RecordingTypedText(Log& l) : log(l) {}
    void wipeTypedText() override { log.calls.push_back("wipe typed text"); }
};

}  // namespace

TEST_CASE("Each command reaches its service in order, and a seal reports back at once", "[executor]") {
    Log log;
    RecordingSealer sealer(log);
    RecordingSpeech speech(log);
    RecordingFonts fonts(log);
    RecordingTypedText typedText(log);
    CommandExecutor executor(&sealer, &speech, &fonts, &typedText);

    SealRequest request;
    request.serviceId = "missed-bin";
    request.answersJson = R"({"answers":[]})";
    Commands commands{WipeTypedText{},
                      SealForm{request, "stf-0123456789ab"},
                      RebuildFonts{200},
                      StopSpeech{},
                      ApplySpeechSettings{true, 75},
                      PageShown{true},
                      ReadPageAfterFrame{},
                      WarningShown{false},
                      ErrorsShown{true}};
    executor.execute(commands, [&](const Intent& reported) {
        const auto* residentIntent = std::get_if<ResidentIntent>(&reported);
        REQUIRE(residentIntent != nullptr);
        const auto* succeeded = std::get_if<resident::SealSucceeded>(residentIntent);
        REQUIRE(succeeded != nullptr);
        log.calls.push_back("reported " + succeeded->reference);
    });
    CHECK(log.calls == std::vector<std::string>{"wipe typed text", "seal missed-bin", "reported SD1-0000-001",
                                                "fonts 200", "speech stop", "speech settings 1 75",
                                                "page shown 1", "read page", "read page"});
    CHECK(sealer.answersSeen == R"({"answers":[]})");
    CHECK(sealer.volunteerSeen == "stf-0123456789ab");  // the signed-in volunteer travels with the form
}

TEST_CASE("A failed seal reports its error code, and without a sealer the seal fails as no database",
          "[executor]") {
    Log log;
    RecordingSealer sealer(log);
    sealer.succeed = false;
    std::vector<Intent> reported;
    const auto report = [&](const Intent& intent) { reported.push_back(intent); };

    Commands commands{SealForm{SealRequest{}, ""}};
    CommandExecutor(&sealer, nullptr, nullptr, nullptr).execute(commands, report);
    Commands again{
        SealForm{SealRequest{"missed-bin", "missed-bin", 1, "en", "kiosk-api", "{}", "{\"secret\":1}"}, ""}};
    CommandExecutor(nullptr, nullptr, nullptr, nullptr).execute(again, report);

    REQUIRE(reported.size() == 2);
    const auto failedWith = [](const Intent& intent) {
        const auto& residentIntent = std::get<ResidentIntent>(intent);
        return std::get<resident::SealFailed>(residentIntent).code;
    };
    CHECK(failedWith(reported[0]) == ErrorCode::DiskFull);
    CHECK(failedWith(reported[1]) == ErrorCode::NoDatabase);
    // The answers of a seal that could not even be tried are wiped all the same.
    const auto& unsent = std::get<SealForm>(again[0]).request.answersJson;
    CHECK(unsent.find("secret") == std::string::npos);
}

TEST_CASE("Without speech or fonts their commands are skipped, the rest still run", "[executor]") {
    Log log;
    RecordingTypedText typedText(log);
    CommandExecutor executor(nullptr, nullptr, nullptr, &typedText);
    Commands commands{ResetSpeech{}, RebuildFonts{150}, PageShown{true}, WipeTypedText{}};
    executor.execute(commands, [](const Intent&) { FAIL("nothing should be reported"); });
    CHECK(log.calls == std::vector<std::string>{"wipe typed text"});
}
