// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer demo: what the README's first command runs. Starts this program
// twice, as `read` and `write` on a fresh buffer, streams for a few seconds
// with the reader's live readout, then sums up what arrived.

#include "child.hpp"
#include "commands.hpp"
#include "json_print.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "stop_signal.hpp"

#include <zerobuffer/resources.hpp>

#include <boost/json/parse.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include <unistd.h>

namespace zerobuffer::tool {

namespace {

const command_help demo_help{
    "demo", "[options]",
    "Streams frames between two processes for a few seconds: starts 'zerobuffer read'\n"
    "(which creates a buffer with a unique name and checks every frame) and 'zerobuffer\n"
    "write' (which sends test-pattern frames as fast as the reader takes them), shows the\n"
    "reader's live readout, then a summary. Removes the buffer. Exit code 0 when every\n"
    "frame arrived intact.",
    "  zerobuffer demo\n"
    "  zerobuffer demo --seconds 10 --size 64K --payload-size 16M"};

/// How a child ended and the summary it printed with --json.
struct child_report {
    int exit_code = -1;
    boost::json::value summary; ///< the object it printed, or null
    std::string problem;        ///< why `summary` is null ("" when it is not)
};

/// Reads what `child` (the reader or the writer, `who`) printed on stdout once
/// it exited: one JSON object.
child_report collect(child_process& child, std::string_view who)
{
    child_report r;
    r.exit_code = child.poll().value_or(-1);
    const std::string out = child.read_stdout(std::chrono::seconds(5));
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(out, ec);
    if (ec) {
        r.problem = "the " + std::string(who) + " printed no JSON summary (" + ec.message() + ")";
    } else if (!v.is_object()) {
        r.problem = "the " + std::string(who) + "'s JSON summary is not an object";
    } else {
        r.summary = std::move(v);
    }
    return r;
}

/// The number at JSON pointer `ptr` in `summary` as a T, or empty when it is
/// absent, not a number or not exactly a T.
template <class T>
std::optional<T> number_at(const boost::json::value& summary, std::string_view ptr)
{
    boost::system::error_code ec;
    const boost::json::value* v = summary.find_pointer(ptr, ec);
    if (v == nullptr) {
        return std::nullopt;
    }
    const T n = v->to_number<T>(ec);
    return ec ? std::nullopt : std::optional<T>(n);
}

/// True when the boolean at JSON pointer `ptr` in `summary` is there and true.
bool true_at(const boost::json::value& summary, std::string_view ptr)
{
    boost::system::error_code ec;
    const boost::json::value* v = summary.find_pointer(ptr, ec);
    return v != nullptr && v->is_bool() && v->get_bool();
}

/// Waits for both children, bounded; forwards Ctrl-C to them.
bool wait_both(child_process& reader, child_process& writer, std::chrono::milliseconds limit)
{
    const auto deadline = clock_type::now() + limit;
    bool forwarded = false;
    while (clock_type::now() < deadline) {
        if (stop_requested() && !forwarded) {
            writer.signal(SIGINT);
            reader.signal(SIGINT);
            forwarded = true;
        }
        const bool writer_done = writer.poll().has_value();
        if (writer_done && reader.poll()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

} // namespace

int run_demo(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("seconds", po::value<std::string>()->value_name("SECONDS")->default_value("3"),
            "how long to stream");
        add("size,s", po::value<std::string>()->value_name("SIZE")->default_value("4K"),
            "frame size (or MIN..MAX)");
        add("payload-size", po::value<std::string>()->value_name("SIZE")->default_value("4M"),
            "ring size");
        add("json", "print a JSON summary on stdout");
    }
    const auto vm = parse_command(demo_help, opts, {}, {}, args);
    if (!vm) {
        return exit_ok;
    }
    const auto seconds = parse_seconds("--seconds", (*vm)["seconds"].as<std::string>());
    if (seconds.count() == 0) {
        throw usage_error("--seconds must be more than 0");
    }
    const std::string size = (*vm)["size"].as<std::string>();
    const size_range sizes = parse_size_range("--size", size);
    const std::string payload = (*vm)["payload-size"].as<std::string>();
    if (parse_size("--payload-size", payload) < 2 * (sizes.max + 16)) {
        throw usage_error("--payload-size must hold two frames of the largest --size");
    }
    const bool json = vm->count("json") != 0;
    install_stop_handlers();

    const std::string name =
        "zerobuffer-demo-" + std::to_string(::getpid()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const bool live = stderr_is_terminal();
    const std::string seconds_text = std::to_string(to_seconds(seconds));
    if (!json) {
        std::cout << "zerobuffer demo: a writer process streams " << size
                  << "-byte frames to a reader process through the buffer '" << name << "' for "
                  << seconds_text.substr(0, seconds_text.find('.') + 2) << " s\n"
                  << std::flush;
    }

    std::vector<std::string> read_args{"read",     name,     "--payload-size", payload,
                                       "--verify", "--json", "--timeout",      "30",
                                       "--label",  "demo"};
    if (!live) {
        read_args.push_back("--quiet");
    }
    child_process reader = child_process::spawn_self(read_args, true);
    child_process writer = child_process::spawn_self(
        {"write", name, "--seconds", std::to_string(to_seconds(seconds)), "--size", size,
         "--pattern", "test", "--metadata", "zerobuffer demo", "--wait-for-reader", "30", "--json",
         "--quiet"},
        true);

    const auto limit =
        std::chrono::duration_cast<std::chrono::milliseconds>(seconds) + std::chrono::seconds(60);
    const bool ended = wait_both(reader, writer, limit);
    const child_report r = collect(reader, "reader");
    const child_report w = collect(writer, "writer");
    reader.kill();
    writer.kill();
    // Whatever happened, leave nothing behind (a live reader's files are never touched).
    cleanup_stale_resources(name);

    const auto frames = number_at<std::uint64_t>(r.summary, "/frames");
    const double secs = number_at<double>(r.summary, "/seconds").value_or(0);
    const double mib_s = number_at<double>(r.summary, "/mib_per_s").value_or(0);
    const double frames_s = number_at<double>(r.summary, "/frames_per_s").value_or(0);
    const auto written = number_at<std::uint64_t>(w.summary, "/frames");
    const bool verified = true_at(r.summary, "/verify/ok");
    const bool ok = ended && r.exit_code == 0 && w.exit_code == 0 && verified && frames &&
                    *frames > 0 && frames == written;

    if (json) {
        const boost::json::object o{{"command", "demo"},
                                    {"name", name},
                                    {"ok", ok},
                                    {"frames", frames.value_or(0)},
                                    {"frames_written", written.value_or(0)},
                                    {"seconds", secs},
                                    {"mib_per_s", mib_s},
                                    {"frames_per_s", frames_s},
                                    {"verified", verified},
                                    {"reader_exit", r.exit_code},
                                    {"writer_exit", w.exit_code}};
        write_json(std::cout, o);
        std::cout << std::endl;
    } else {
        char line[256];
        std::snprintf(line, sizeof line, "%s frames in %.2f s: %.1f MiB/s, %s frames/s%s\n",
                      format_count(frames.value_or(0)).c_str(), secs, mib_s,
                      format_count(static_cast<std::uint64_t>(frames_s)).c_str(),
                      verified ? "; every frame verified (test pattern, sequence numbers)" : "");
        std::cout << line;
    }
    if (!ok) {
        std::cerr << "zerobuffer demo: failed: ";
        if (!ended) {
            std::cerr << "the reader or writer did not finish in time";
        } else if (stop_requested()) {
            std::cerr << "interrupted";
        } else {
            std::cerr << "reader exit " << r.exit_code << ", writer exit " << w.exit_code
                      << ", frames read " << frames.value_or(0) << " of " << written.value_or(0)
                      << (verified ? "" : ", verification failed");
            for (const auto* problem : {&r.problem, &w.problem}) {
                if (!problem->empty()) {
                    std::cerr << "; " << *problem;
                }
            }
        }
        std::cerr << '\n';
        return stop_requested() ? exit_interrupted : exit_failure;
    }
    return exit_ok;
}

} // namespace zerobuffer::tool
