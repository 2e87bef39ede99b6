// Standard Webhooks signatures: the specification's own published example, and verification
// that accepts exactly the signature it should.
#include <catch2/catch.hpp>

#include "sync/webhook_signature.h"

using namespace kiosk::sync;

TEST_CASE("signWebhook reproduces the Standard Webhooks reference test vector", "[sync][webhook]") {
    // From the specification's reference implementation tests: any council's off-the-shelf
    // verifier computes exactly this, so it is what we must produce.
    const auto key = decodeWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    REQUIRE(key.has_value());
    CHECK(key->size() == 24);
    const std::string signature =
        signWebhook(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})");
    CHECK(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("verifyWebhook accepts the reference signature among others and nothing else", "[sync][webhook]") {
    const auto key = decodeWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    REQUIRE(key.has_value());
    const std::string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const std::string body = R"({"test": 2432232314})";
    const std::string good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    CHECK(verifyWebhook(*key, id, 1614265330, body, good));
    CHECK(
        verifyWebhook(*key, id, 1614265330, body, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + good));
    CHECK_FALSE(verifyWebhook(*key, id, 1614265331, body, good));           // another timestamp
    CHECK_FALSE(verifyWebhook(*key, "msg_other", 1614265330, body, good));  // another id
    CHECK_FALSE(verifyWebhook(*key, id, 1614265330, body + " ", good));     // another body
    CHECK_FALSE(verifyWebhook(*key, id, 1614265330, body, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="));
    CHECK_FALSE(verifyWebhook(*key, id, 1614265330, body, ""));
}
