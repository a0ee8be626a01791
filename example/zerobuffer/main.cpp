// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer: the command-line tool. Finds the subcommand and runs it; turns
// what it throws into a message on stderr and the exit code.

#include "commands.hpp"
#include "options.hpp"

#include <zerobuffer/error.hpp>

#include <exception>
#include <iostream>
#include <string_view>

namespace {

using namespace zerobuffer::tool;

struct subcommand {
    std::string_view name;
    int (*run)(const arguments&);
    std::string_view summary;
};

constexpr subcommand subcommands[] = {
    {"demo", run_demo, "stream frames between two processes for a few seconds"},
    {"read", run_read, "create a buffer and read frames from it"},
    {"write", run_write, "attach to a buffer and write frames into it"},
    {"inspect", run_inspect, "show a live buffer's state without attaching"},
    {"list", run_list, "list the buffers on this host: live, stale, orphaned"},
    {"cleanup", run_cleanup, "remove what dead readers left behind"},
    {"serve", run_serve, "serve a duplex channel: echo, upper-case or sleep per request"},
    {"request", run_request, "send requests to a duplex channel, report latency"},
    {"bench", run_bench, "measure throughput and latency against baselines"},
};

void print_usage(std::ostream& out)
{
    out << "usage: zerobuffer <command> [options]\n\n"
           "Zero-copy IPC over shared memory: a command-line companion to the library.\n\n"
           "commands:\n";
    for (const auto& c : subcommands) {
        out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << '\n';
    }
    out << "\n'zerobuffer <command> --help' describes a command. Start with 'zerobuffer demo'.\n";
}

} // namespace

int main(int argc, char** argv)
{
    const arguments words(argv + 1, argv + argc);
    if (words.empty()) {
        print_usage(std::cerr);
        return exit_usage;
    }
    const std::string& first = words.front();
    if (first == "--help" || first == "-h" || first == "help") {
        if (first == "help" && words.size() > 1) {
            // "zerobuffer help read" is "zerobuffer read --help".
            for (const auto& c : subcommands) {
                if (c.name == words[1]) {
                    return c.run({"--help"});
                }
            }
        }
        print_usage(std::cout);
        return exit_ok;
    }
    if (first == "--version") {
        std::cout << "zerobuffer 1.0.0 (protocol 1.0.0)\n";
        return exit_ok;
    }
    for (const auto& c : subcommands) {
        if (c.name != first) {
            continue;
        }
        const std::string prefix = "zerobuffer " + std::string(c.name) + ": ";
        try {
            return c.run(arguments(words.begin() + 1, words.end()));
        } catch (const usage_error& e) {
            std::cerr << prefix << e.what() << "\nTry 'zerobuffer " << c.name << " --help'.\n";
            return exit_usage;
        } catch (const zerobuffer::error& e) {
            std::cerr << prefix << "error: " << e.what() << '\n';
            return exit_failure;
        } catch (const std::exception& e) {
            std::cerr << prefix << "error: " << e.what() << '\n';
            return exit_failure;
        }
    }
    std::cerr << "zerobuffer: unknown command '" << first << "'\n"
              << "Try 'zerobuffer --help' for the list of commands.\n";
    return exit_usage;
}
