// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Command line, output and error reporting of zerobuffer_test_peer (see peer.hpp).

#include "peer.hpp"

#include <zerobuffer/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <stdexcept>

#include <unistd.h>

namespace zerobuffer::test_peer {

namespace {

constexpr std::string_view usage = R"(usage: zerobuffer_test_peer COMMAND NAME [options]
commands:
  read NAME                 create the reader, read --count frames (or --until-error)
  hold-reader NAME          create the reader and take commands on stdin
  write NAME                attach a writer and write --count frames (or --until-error)
  write-until-blocked NAME  write until a write fails (write --until-error --print-frames)
reader options: --payload-size P --metadata-size M --mode OCTAL --umask OCTAL
  --timeout-ms T --expect-metadata N --verify --no-release --delay-us U
  --delay-every K --wait-go
writer options: --size S --sizes a,b,c --metadata-size M --write-timeout-ms T
  --connect-timeout-ms T --zero-copy --retry-on-full --close
both: --count N --until-error --print-frames --hold-before-exit --max-seconds S
stdin commands while holding: release, read N, write N, retry MS, close, exit
)";

std::uint64_t to_number(std::string_view text, int base = 10)
{
    const std::string s(text);
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(s.c_str(), &end, base);
    if (s.empty() || errno != 0 || end != s.c_str() + s.size() || s.front() == '-') {
        throw std::invalid_argument("not a number: " + s);
    }
    return v;
}

std::vector<std::size_t> to_sizes(std::string_view text)
{
    std::vector<std::size_t> sizes;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find(',', pos), text.size());
        sizes.push_back(static_cast<std::size_t>(to_number(text.substr(pos, end - pos))));
        pos = end + 1;
    }
    return sizes;
}

} // namespace

options parse_options(int argc, char** argv)
{
    if (argc < 3) {
        throw std::invalid_argument("missing command or name");
    }
    options opt;
    opt.command = argv[1];
    opt.name = argv[2];
    const bool writing = opt.command == "write" || opt.command == "write-until-blocked";
    if (opt.command == "write-until-blocked") {
        opt.until_error = true;
        opt.print_frames = true;
    }
    for (int i = 3; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::string_view {
            if (i + 1 >= argc) {
                throw std::invalid_argument("missing value of " + std::string(arg));
            }
            return argv[++i];
        };
        const auto ms = [&] { return std::chrono::milliseconds(to_number(value())); };
        if (arg == "--count") {
            opt.count = to_number(value());
        } else if (arg == "--size" || arg == "--sizes") {
            opt.sizes = to_sizes(value());
        } else if (arg == "--metadata-size") {
            const auto m = static_cast<std::size_t>(to_number(value()));
            if (writing) {
                opt.metadata_length = m;
            } else {
                opt.config.metadata_size = m;
            }
        } else if (arg == "--payload-size") {
            opt.config.payload_size = static_cast<std::size_t>(to_number(value()));
        } else if (arg == "--mode") {
            opt.config.mode = static_cast<unsigned>(to_number(value(), 8));
        } else if (arg == "--umask") {
            opt.umask = static_cast<unsigned>(to_number(value(), 8));
        } else if (arg == "--timeout-ms") {
            opt.read_timeout = ms();
        } else if (arg == "--expect-metadata") {
            opt.expect_metadata = static_cast<std::size_t>(to_number(value()));
        } else if (arg == "--verify") {
            opt.verify = true;
        } else if (arg == "--no-release") {
            opt.no_release = true;
        } else if (arg == "--delay-us") {
            opt.delay_us = to_number(value());
        } else if (arg == "--delay-every") {
            opt.delay_every = std::max<std::uint64_t>(1, to_number(value()));
        } else if (arg == "--wait-go") {
            opt.wait_go = true;
        } else if (arg == "--write-timeout-ms") {
            opt.writer.write_timeout = ms();
        } else if (arg == "--connect-timeout-ms") {
            opt.writer.connect_timeout = ms();
        } else if (arg == "--zero-copy") {
            opt.zero_copy = true;
        } else if (arg == "--retry-on-full") {
            opt.retry_on_full = true;
        } else if (arg == "--close") {
            opt.close = true;
        } else if (arg == "--until-error") {
            opt.until_error = true;
        } else if (arg == "--print-frames") {
            opt.print_frames = true;
        } else if (arg == "--hold-before-exit") {
            opt.hold_before_exit = true;
        } else if (arg == "--max-seconds") {
            opt.max_seconds = static_cast<unsigned>(to_number(value()));
        } else {
            throw std::invalid_argument("unknown option " + std::string(arg));
        }
    }
    return opt;
}

void say(std::string_view line)
{
    std::string out(line);
    out += '\n';
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return; // the test stopped listening; nothing useful to do
        }
        done += static_cast<std::size_t>(n);
    }
}

std::string next_command()
{
    std::string line;
    if (!std::getline(std::cin, line)) {
        return {};
    }
    return line;
}

int report_exception(std::string_view context)
{
    std::string suffix = context.empty() ? std::string() : " " + std::string(context);
    try {
        throw;
    } catch (const zerobuffer::error& e) {
        const auto ec = e.code();
        if (ec.category() == zerobuffer::error_category()) {
            say("error " + std::string(to_string(static_cast<errc>(ec.value()))) + suffix);
            return exit_errc_base + ec.value();
        }
        say("error system errno=" + std::to_string(ec.value()) + suffix);
        std::cerr << "zerobuffer_test_peer: " << e.what() << '\n';
        return exit_system_error;
    } catch (const std::exception& e) {
        say("error exception" + suffix);
        std::cerr << "zerobuffer_test_peer: " << e.what() << '\n';
        return exit_exception;
    }
}

} // namespace zerobuffer::test_peer

int main(int argc, char** argv)
{
    using namespace zerobuffer::test_peer;
    options opt;
    try {
        opt = parse_options(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "zerobuffer_test_peer: " << e.what() << '\n' << usage;
        return exit_usage;
    }
    // A peer that a crashed test forgot must not live forever.
    if (opt.max_seconds != 0) {
        ::alarm(opt.max_seconds);
    }
    if (opt.command == "read" || opt.command == "hold-reader") {
        return run_reader(opt);
    }
    if (opt.command == "write" || opt.command == "write-until-blocked") {
        return run_writer(opt);
    }
    std::cerr << "zerobuffer_test_peer: unknown command " << opt.command << '\n' << usage;
    return exit_usage;
}
