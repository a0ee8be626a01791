// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer read NAME: creates the buffer and reads frames until the writer
// leaves, --count frames arrived, or --timeout passed with no frame.

#include "commands.hpp"
#include "frame_check.hpp"
#include "json_print.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "stop_signal.hpp"

#include <zerobuffer/reader.hpp>

#include <cstdio>
#include <iostream>

namespace zerobuffer::tool {

namespace {

const command_help read_help{
    "read", "NAME [options]",
    "Creates the buffer NAME (segment, semaphores, lock file) and reads the frames a\n"
    "writer sends, releasing each at once. Stops when the writer disconnects, after\n"
    "--count frames, or when --timeout passes with no frame. Removes the buffer on exit\n"
    "(also on Ctrl-C). Exit code 0 on success, 1 on an error or a failed --verify.",
    "  zerobuffer read demo\n"
    "  zerobuffer read demo --verify --count 1000 --timeout 10\n"
    "  zerobuffer read demo --payload-size 64M --output frames.bin --length-prefixed\n"
    "  zerobuffer read demo --json --quiet"};

struct read_settings {
    std::string name;
    buffer_config config;
    std::uint64_t count = 0;             ///< 0: no limit
    std::chrono::nanoseconds timeout{0}; ///< 0: wait as long as it takes
    bool verify = false;
    std::optional<std::string> output;
    bool length_prefixed = false;
    bool json = false;
    bool quiet = false;
};

enum class end_reason { writer_disconnected, count, timeout, interrupted, writer_dead, failed };

std::string_view to_string(end_reason r)
{
    switch (r) {
    case end_reason::writer_disconnected: return "writer_disconnected";
    case end_reason::count: return "count";
    case end_reason::timeout: return "timeout";
    case end_reason::interrupted: return "interrupted";
    case end_reason::writer_dead: return "writer_dead";
    case end_reason::failed: return "error";
    }
    return "error";
}

read_settings parse_settings(const po::variables_map& vm)
{
    read_settings s;
    s.name = required_name(vm);
    s.config.metadata_size = parse_size("--metadata-size", vm["metadata-size"].as<std::string>());
    s.config.payload_size = parse_size("--payload-size", vm["payload-size"].as<std::string>());
    if (s.config.payload_size == 0) {
        throw usage_error("--payload-size must be at least 1 byte");
    }
    s.config.mode = parse_mode("--mode", vm["mode"].as<std::string>());
    if (const auto c = string_option(vm, "count")) {
        s.count = parse_count("--count", *c);
    }
    if (const auto t = string_option(vm, "timeout")) {
        s.timeout = parse_seconds("--timeout", *t);
    }
    s.verify = vm.count("verify") != 0;
    s.output = string_option(vm, "output");
    s.length_prefixed = vm.count("length-prefixed") != 0;
    if (s.length_prefixed && !s.output) {
        throw usage_error("--length-prefixed needs --output FILE");
    }
    s.json = vm.count("json") != 0;
    s.quiet = vm.count("quiet") != 0;
    if (s.json && s.output == "-") {
        throw usage_error("--json and --output - both want stdout");
    }
    return s;
}

/// Everything a read run reports.
struct read_result {
    transfer_totals totals;
    end_reason reason = end_reason::writer_disconnected;
    std::string error;
    frame_checker checker;
    std::vector<std::byte> metadata;
    std::uint64_t first_sequence = 0;
    std::uint64_t last_sequence = 0;
};

void print_summary(const read_settings& s, const read_result& r)
{
    std::cerr << "zerobuffer read " << s.name << ": " << r.totals.describe()
              << "; ended: " << to_string(r.reason) << '\n';
    if (s.verify) {
        std::cerr << "  verify: " << r.checker.describe() << '\n';
    }
    if (!r.error.empty()) {
        std::cerr << "zerobuffer read: error: " << r.error << '\n';
    }
}

void print_json(const read_settings& s, const reader& rd, const read_result& r)
{
    const boost::json::object o{
        {"command", "read"},
        {"name", s.name},
        {"payload_size", rd.payload_size()},
        {"metadata_size", rd.metadata_size()},
        {"frames", r.totals.frames},
        {"bytes", r.totals.bytes},
        {"seconds", r.totals.seconds},
        {"mib_per_s", r.totals.mib_per_second()},
        {"frames_per_s", r.totals.frames_per_second()},
        {"first_sequence", r.first_sequence},
        {"last_sequence", r.last_sequence},
        {"end", to_string(r.reason)},
        {"metadata_bytes", r.metadata.size()},
        {"metadata", r.metadata.empty() ? boost::json::value(nullptr)
                                        : boost::json::value(metadata_text(r.metadata))},
        {"verify", s.verify ? boost::json::value(r.checker.to_json()) : boost::json::value()},
        {"error", text_or_null(r.error)}};
    write_json(std::cout, o);
    std::cout << std::endl;
}

} // namespace

int run_read(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("metadata-size", po::value<std::string>()->value_name("SIZE")->default_value("1K"),
            "metadata block size (rounded up to 64)");
        add("payload-size", po::value<std::string>()->value_name("SIZE")->default_value("1M"),
            "ring size (rounded up to 64); e.g. 64M");
        add("mode", po::value<std::string>()->value_name("MODE")->default_value("0600"),
            "octal permissions of the buffer's files (0666: any user may write)");
        add("count,n", po::value<std::string>()->value_name("N"), "stop after this many frames");
        add("timeout,t", po::value<std::string>()->value_name("SECONDS"),
            "give up when no frame arrives for this long (seconds; default: wait)");
        add("verify", "check the test pattern (byte i of frame s = (i + s) mod 256) and the "
                      "sequence numbers");
        add("output,o", po::value<std::string>()->value_name("FILE"),
            "write the frames to FILE ('-': stdout)");
        add("length-prefixed", "with --output: each frame as an 8-byte little-endian length then "
                               "its bytes (what 'write --input' reads)");
        add("json", "print a JSON summary on stdout");
        add("quiet,q", "no progress readout, no summary");
    }
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("name", po::value<std::string>());
        add("label", po::value<std::string>(), "what the readout calls this run (for demo)");
    }
    po::positional_options_description pos;
    pos.add("name", 1);

    const auto vm = parse_command(read_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    const read_settings s = parse_settings(*vm);

    std::optional<record_writer> out;
    if (s.output) {
        out.emplace(file_handle::open(*s.output, true), s.length_prefixed);
    }
    install_stop_handlers();
    reader rd(s.name, s.config);
    const bool show = !s.quiet && stderr_is_terminal();
    if (show && !s.json) {
        std::cerr << "zerobuffer read: buffer '" << s.name << "' ready ("
                  << format_bytes(static_cast<double>(rd.payload_size())) << " ring); waiting for "
                  << "a writer: zerobuffer write " << s.name << '\n';
    }
    progress_line progress(string_option(*vm, "label").value_or("read " + s.name), show);
    read_result r;
    r.checker.enabled = s.verify;

    const auto slice = std::chrono::milliseconds(200);
    auto last_activity = clock_type::now();
    clock_type::time_point first_frame{};
    clock_type::time_point last_frame{};
    const auto look_for_metadata = [&] {
        if (r.metadata.empty()) {
            boost::system::error_code ec;
            const auto m = rd.metadata(ec);
            if (!ec && !m.empty()) {
                r.metadata.assign(m.begin(), m.end());
                if (!s.json && !s.quiet) {
                    progress.clear();
                    std::FILE* to = s.output == "-" ? stderr : stdout;
                    std::fprintf(to, "metadata (%zu bytes): %s\n", r.metadata.size(),
                                 metadata_text(r.metadata).c_str());
                    std::fflush(to);
                }
            }
        }
    };

    for (;;) {
        if (stop_requested()) {
            r.reason = end_reason::interrupted;
            break;
        }
        if (s.count != 0 && r.totals.frames >= s.count) {
            r.reason = end_reason::count;
            break;
        }
        boost::system::error_code ec;
        frame f = rd.read_frame(slice, ec);
        const auto now = clock_type::now();
        if (ec == errc::writer_disconnected) {
            r.reason = end_reason::writer_disconnected;
            break;
        }
        if (ec == errc::writer_dead) {
            r.reason = end_reason::writer_dead;
            r.error = "the writer process died";
            break;
        }
        if (ec == errc::sequence_error) {
            r.checker.sequence_gap();
            continue; // the next read delivers the frame that broke the sequence
        }
        if (ec) {
            r.reason = end_reason::failed;
            r.error = ec.message();
            break;
        }
        if (!f) {
            if (s.timeout.count() != 0 && now - last_activity >= s.timeout) {
                r.reason = end_reason::timeout;
                char text[64];
                std::snprintf(text, sizeof text, "no frame for %g s (--timeout)",
                              to_seconds(s.timeout));
                r.error = text;
                break;
            }
            look_for_metadata();
            if (progress.due(now)) {
                progress.draw(now, r.totals.frames, r.totals.bytes, rd.health().utilization);
            }
            continue;
        }
        if (r.totals.frames == 0) {
            first_frame = now;
            r.first_sequence = f.sequence();
            look_for_metadata();
        }
        last_activity = last_frame = now;
        r.last_sequence = f.sequence();
        r.checker.check(f.bytes(), f.sequence());
        if (out) {
            try {
                out->write(f.bytes());
            } catch (const std::exception& e) {
                r.reason = end_reason::failed;
                r.error = e.what();
                break;
            }
        }
        ++r.totals.frames;
        r.totals.bytes += f.size();
        f.release();
        if (progress.due(now)) {
            look_for_metadata();
            progress.draw(now, r.totals.frames, r.totals.bytes, rd.health().utilization);
        }
    }
    look_for_metadata();
    progress.clear();
    r.totals.seconds = r.totals.frames != 0 ? to_seconds(last_frame - first_frame) : 0.0;
    if (out) {
        try {
            out->close();
        } catch (const std::exception& e) {
            r.reason = end_reason::failed;
            r.error = e.what();
        }
    }
    if (s.json) {
        print_json(s, rd, r);
    }
    if (!s.quiet && !s.json) {
        print_summary(s, r);
    } else {
        // Quiet or JSON: stderr still says what went wrong.
        if (!r.checker.ok()) {
            std::cerr << "zerobuffer read: verify: " << r.checker.describe() << '\n';
        }
        if (!r.error.empty()) {
            std::cerr << "zerobuffer read: error: " << r.error << '\n';
        }
    }
    rd.close();
    if (r.reason == end_reason::interrupted) {
        return exit_interrupted;
    }
    const bool failed = r.reason == end_reason::timeout || r.reason == end_reason::writer_dead ||
                        r.reason == end_reason::failed || !r.checker.ok();
    return failed ? exit_failure : exit_ok;
}

} // namespace zerobuffer::tool
