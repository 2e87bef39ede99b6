// kiosk-bench: how long a staff sign-in waits for Argon2id. crypto_pwhash_str_verify at the
// PIN cost (64 MiB) and the admin passphrase cost (256 MiB) that StaffStore uses, on a hash made
// once beforehand, as signIn does. There is no target: the cost is chosen for the attacker,
// and this says what a volunteer waits on this hardware.
#include <sodium.h>

#include <stdexcept>
#include <string>

#include "bench.h"
#include "bench_support.h"
#include "store/staff_store.h"

namespace kiosk::bench {
namespace {

double medianVerifyMillis(const store::PasswordCost& cost, const std::string& secret, int runs) {
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, secret.data(), secret.size(), cost.opsLimit, cost.memLimitBytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("not enough memory for Argon2id at " +
                                 std::to_string(cost.memLimitBytes / (1024 * 1024)) + " MiB");
    std::vector<double> millis;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        const int verified = crypto_pwhash_str_verify(hash, secret.data(), secret.size());
        millis.push_back(millisSince(start));
        if (verified != 0) throw std::runtime_error("Argon2id did not verify its own hash");
    }
    return median(millis);
}

Figure verifyFigure(const char* key, const char* label, const store::PasswordCost& cost,
                    const std::string& secret, int runs) {
    Figure figure;
    figure.key = key;
    figure.label = label;
    figure.value = medianVerifyMillis(cost, secret, runs);
    figure.unit = "ms";
    figure.note = "median of " + std::to_string(runs) +
                  " crypto_pwhash_str_verify, Argon2id t=" + std::to_string(cost.opsLimit) +
                  " m=" + std::to_string(cost.memLimitBytes / (1024 * 1024)) + " MiB";
    return figure;
}

}  // namespace

void benchStaff(const BenchOptions& options, std::vector<Figure>& figures) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
    figures.push_back(verifyFigure("staff.pin_verify_p50_ms", "staff sign-in, volunteer PIN p50",
                                   store::pinCost(), "73920584", options.quick ? 3 : 21));
    figures.push_back(verifyFigure("staff.passphrase_verify_p50_ms", "staff sign-in, admin passphrase p50",
                                   store::passphraseCost(), "correct horse battery staple",
                                   options.quick ? 3 : 11));
}

}  // namespace kiosk::bench
