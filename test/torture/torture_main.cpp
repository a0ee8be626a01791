// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer_torture: command line and mode dispatch (see torture.hpp).

#include "torture.hpp"

#include <zerobuffer/testing/buffer_naming_service.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace {

constexpr std::string_view usage =
    R"(usage: zerobuffer_torture [--writer-kills N] [--reader-kills N] [--soak SECONDS]
                          [--seed S] [--verbose]
  --writer-kills N  SIGKILL N writer processes at random moments (inside
                    reservations, inside wraps, while connecting) under one reader,
                    after deterministic scenarios (killed between commit and post,
                    inside a wrapped reservation)
  --reader-kills N  SIGKILL N reader processes under a live writer; clean up and
                    create the buffer again after each
  --soak SECONDS    stream random frames through sessions of a writer process
                    with random reader delays and release order, then check counters
  --seed S          seed of every random choice (default: from the clock)
  --verbose         writer-kills: one line per writer and per report, on stderr
Each mode prints one summary line; the exit code is 1 on any violation, 2 on usage.
)";

std::uint64_t number(const char* text)
{
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || *end != 0 || text[0] == '-') {
        throw std::invalid_argument(std::string("not a number: ") + text);
    }
    return v;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace zerobuffer::torture;
    options opt;
    opt.seed = static_cast<std::uint64_t>(clock::now().time_since_epoch().count());
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view arg = argv[i];
            const auto value = [&] {
                if (i + 1 >= argc) {
                    throw std::invalid_argument("missing value of " + std::string(arg));
                }
                return number(argv[++i]);
            };
            if (arg == "--writer-kills") {
                opt.writer_kills = value();
            } else if (arg == "--reader-kills") {
                opt.reader_kills = value();
            } else if (arg == "--soak") {
                opt.soak_seconds = value();
            } else if (arg == "--seed") {
                opt.seed = value();
            } else if (arg == "--verbose") {
                opt.verbose = true;
            } else {
                throw std::invalid_argument("unknown option " + std::string(arg));
            }
        }
        if (opt.writer_kills == 0 && opt.reader_kills == 0 && opt.soak_seconds == 0) {
            throw std::invalid_argument("nothing to do");
        }
    } catch (const std::exception& e) {
        std::cerr << "zerobuffer_torture: " << e.what() << '\n' << usage;
        return 2;
    }
    // A child that died must not take us with it through a broken pipe.
    ::signal(SIGPIPE, SIG_IGN);

    zerobuffer::testing::buffer_naming_service names;
    std::uint64_t violations = 0;
    try {
        if (opt.writer_kills != 0) {
            violations += run_scenarios(names.get_buffer_name("torture_scenarios"));
            violations += run_writer_kills(opt, names.get_buffer_name("torture_writer_kills"));
        }
        if (opt.reader_kills != 0) {
            violations += run_reader_kills(opt, names.get_buffer_name("torture_reader_kills"));
        }
        if (opt.soak_seconds != 0) {
            violations += run_soak(opt, names.get_buffer_name("torture_soak"));
        }
    } catch (const std::exception& e) {
        std::cerr << "zerobuffer_torture: unexpected exception: " << e.what() << std::endl;
        return 1;
    }
    return violations == 0 ? 0 : 1;
}
