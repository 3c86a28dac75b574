// A small stand-in for libFuzzer, so fuzz targets run under CTest with any compiler: it feeds
// the target every file of a seed corpus, then deterministic mutations of them (seeded PRNG:
// bit flips, inserted quotes, delimiters and line breaks, deletions, truncations, splices)
// until an iteration count or a time budget runs out. A failing input is printed escaped.
//
// Usage: <runner> <corpus folder> [iterations=200000] [seconds=20] [seed]

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

constexpr std::size_t kMaxInput = 4096;

const std::string *g_current = nullptr;

// Writes the input that was running when the target aborted or crashed, as a C string
// literal, so it can be pasted into a test. Only write(2) here: we are in a signal handler.
void dumpCurrent(int sig)
{
    if (g_current) {
        static const char head[] = "\nfuzzdriver: failing input (C string): \"";
        (void)!write(2, head, sizeof head - 1);
        for (unsigned char c : *g_current) {
            char buf[4];
            int len = 0;
            if (c == '"' || c == '\\') {
                buf[0] = '\\';
                buf[1] = static_cast<char>(c);
                len = 2;
            } else if (c >= 0x20 && c < 0x7F) {
                buf[0] = static_cast<char>(c);
                len = 1;
            } else {
                static const char hex[] = "0123456789ABCDEF";
                buf[0] = '\\';
                buf[1] = 'x';
                buf[2] = hex[c >> 4];
                buf[3] = hex[c & 15];
                len = 4;
            }
            (void)!write(2, buf, static_cast<std::size_t>(len));
        }
        (void)!write(2, "\"\n", 2);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void run(const std::string &input)
{
    g_current = &input;
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(input.data()), input.size());
    g_current = nullptr;
}

std::string mutate(std::string s, const std::vector<std::string> &corpus, std::mt19937_64 &rng)
{
    static const std::string specials[] = {
        "\"",   "\"\"",         ",",        ";",    "\t",   "|",        "\r", "\n",
        "\r\n", "\xEF\xBB\xBF", "\xC3\xA9", "\xFF", "\x80", "\xE2\x82", " ",  "a"};
    auto pick = [&](std::size_t n) { return n ? static_cast<std::size_t>(rng() % n) : 0; };
    const int steps = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < steps; ++i) {
        switch (rng() % 8) {
        case 0: // flip a bit
            if (!s.empty())
                s[pick(s.size())] ^= static_cast<char>(1u << (rng() % 8));
            break;
        case 1: // replace a byte with anything
            if (!s.empty())
                s[pick(s.size())] = static_cast<char>(rng() & 0xFF);
            break;
        case 2:
        case 3: // insert a token that matters to CSV
            s.insert(pick(s.size() + 1), specials[pick(std::size(specials))]);
            break;
        case 4: { // delete a range
            if (s.empty())
                break;
            const std::size_t at = pick(s.size());
            s.erase(at, 1 + pick(std::min<std::size_t>(16, s.size() - at)));
            break;
        }
        case 5: // truncate
            s.resize(pick(s.size() + 1));
            break;
        case 6: { // duplicate a range
            if (s.empty())
                break;
            const std::size_t at = pick(s.size());
            const std::string piece = s.substr(at, 1 + pick(32));
            s.insert(pick(s.size() + 1), piece);
            break;
        }
        case 7: { // splice with another seed
            const std::string &other = corpus[pick(corpus.size())];
            const std::size_t cut = pick(s.size() + 1);
            s = s.substr(0, cut) + other.substr(pick(other.size() + 1));
            break;
        }
        }
    }
    if (s.size() > kMaxInput)
        s.resize(kMaxInput);
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <corpus folder> [iterations] [seconds] [seed]\n", argv[0]);
        return 2;
    }
    const long iterations = argc > 2 ? std::atol(argv[2]) : 200000;
    const double seconds = argc > 3 ? std::atof(argv[3]) : 20.0;
    const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 0) : 0x5109CE5EEDull;

    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(argv[1])) {
        if (entry.is_regular_file())
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end()); // the same order on every machine
    std::vector<std::string> corpus;
    for (const auto &f : files) {
        std::ifstream in(f, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (corpus.empty()) {
        std::fprintf(stderr, "no seed files in %s\n", argv[1]);
        return 2;
    }

    std::signal(SIGABRT, dumpCurrent);
    std::signal(SIGSEGV, dumpCurrent);
    std::signal(SIGFPE, dumpCurrent);

    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (const auto &seedInput : corpus)
        run(seedInput);
    run(std::string());

    std::mt19937_64 rng(seed);
    std::string last = corpus.front();
    long done = 0;
    for (; done < iterations; ++done) {
        if ((done & 255) == 0 && elapsed() > seconds)
            break;
        // Mostly start from a seed; sometimes keep mutating the last input to go deeper.
        const std::string &base = (rng() % 4 == 0) ? last : corpus[rng() % corpus.size()];
        last = mutate(base, corpus, rng);
        run(last);
    }
    std::printf("%zu seeds and %ld mutations in %.1f s (seed %#llx): no property violated\n",
                corpus.size(), done, elapsed(), static_cast<unsigned long long>(seed));
    return 0;
}
