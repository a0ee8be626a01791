// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer inspect NAME: shows a live buffer's OIEB from a read-only mapping.
// It never attaches, never takes the lock and never writes: the buffer's
// reader and writer cannot tell that anyone looked.

#include "channel_view.hpp"
#include "commands.hpp"
#include "frame_check.hpp"
#include "json_print.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "segment_view.hpp"
#include "stop_signal.hpp"

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/resources.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace zerobuffer::tool {

namespace {

const command_help inspect_help{
    "inspect", "NAME [options]",
    "Shows the state of the buffer NAME from its segment, mapped read-only: sizes,\n"
    "positions, counts, frames in flight, free bytes, utilization and health, the\n"
    "reader's and writer's pids and whether they are alive, protocol version and\n"
    "metadata length. Never attaches and never takes the lock. When there is no buffer\n"
    "NAME but a duplex channel NAME (NAME_request, NAME_response), shows the channel:\n"
    "its state and both buffers. Exit code 1 when there is no such buffer or channel, or\n"
    "an OIEB is not valid.",
    "  zerobuffer inspect demo\n"
    "  zerobuffer inspect demo --json\n"
    "  zerobuffer inspect demo_channel    # NAME_request and NAME_response\n"
    "  zerobuffer inspect demo --watch 0.5"};

std::string pid_text(std::uint64_t pid, bool alive)
{
    if (pid == 0) {
        return "none";
    }
    return std::to_string(pid) + (alive ? " (alive)" : " (dead)");
}

void print_text(std::ostream& out, const std::string& name, const segment_view& view,
                const segment_status& st)
{
    const auto& o = st.oieb;
    const double util = st.health.utilization * 100.0;
    char line[256];
    out << "buffer      " << name << '\n';
    out << "segment     " << segment_path(name) << ", " << format_count(st.segment_size)
        << " bytes\n";
    std::snprintf(line, sizeof line, "protocol    %u.%u.%u (OIEB %u bytes)\n", o.version_major,
                  o.version_minor, o.version_patch, o.oieb_size);
    out << line;
    if (!st.valid) {
        out << "state       NOT VALID: " << st.problem << '\n';
    }
    out << "metadata    " << format_count(o.metadata_size) << " bytes block, "
        << format_count(st.metadata_length) << " bytes written";
    const auto meta = metadata_of(view, st);
    if (!meta.empty()) {
        std::string text = metadata_text(meta.first(std::min<std::size_t>(meta.size(), 60)));
        out << ": " << text << (meta.size() > 60 ? "..." : "");
    }
    out << '\n';
    out << "payload     " << format_count(o.payload_size) << " bytes, "
        << format_count(o.payload_free_bytes) << " free, " << format_count(st.health.used_bytes)
        << " used\n";
    out << "positions   write " << format_count(o.payload_write_pos) << ", read "
        << format_count(o.payload_read_pos) << '\n';
    out << "frames      written " << format_count(o.payload_written_count) << ", read "
        << format_count(o.payload_read_count) << ", in flight "
        << format_count(st.health.frames_in_flight) << '\n';
    std::snprintf(line, sizeof line, "health      %s, %.1f %% used\n",
                  std::string(to_string(st.health.state)).c_str(), util);
    out << line;
    out << "reader      " << pid_text(o.reader_pid, st.reader_alive) << '\n';
    out << "writer      " << pid_text(o.writer_pid, st.writer_alive) << '\n';
}

boost::json::object to_json(const std::string& name, const segment_status& st)
{
    const auto& o = st.oieb;
    char version[32];
    std::snprintf(version, sizeof version, "%u.%u.%u", o.version_major, o.version_minor,
                  o.version_patch);
    const boost::json::object j{
        {"name", name},
        {"segment", segment_path(name)},
        {"segment_size", st.segment_size},
        {"valid", st.valid},
        {"problem", st.valid ? boost::json::value(nullptr) : boost::json::value(st.problem)},
        {"oieb_size", o.oieb_size},
        {"version", std::string_view(version)},
        {"metadata_size", o.metadata_size},
        {"metadata_free_bytes", o.metadata_free_bytes},
        {"metadata_written_bytes", o.metadata_written_bytes},
        {"metadata_length", st.metadata_length},
        {"payload_size", o.payload_size},
        {"payload_free_bytes", o.payload_free_bytes},
        {"payload_used_bytes", st.health.used_bytes},
        {"payload_write_pos", o.payload_write_pos},
        {"payload_read_pos", o.payload_read_pos},
        {"payload_written_count", o.payload_written_count},
        {"payload_read_count", o.payload_read_count},
        {"frames_in_flight", st.health.frames_in_flight},
        {"utilization", st.health.utilization},
        {"health", to_string(st.health.state)},
        {"reader_pid", o.reader_pid},
        {"reader_alive", st.reader_alive},
        {"writer_pid", o.writer_pid},
        {"writer_alive", st.writer_alive}};
    return j;
}

/// A channel NAME's two buffers, when there is no buffer NAME: a look at
/// each; `valid` when each present one is. False when neither exists.
bool show_channel(const std::string& name, bool json, bool clear_screen, bool& valid)
{
    struct part {
        const char* key;
        std::string buffer;
        const char* absent;
        const host_buffer* found = nullptr;
    };
    part parts[] = {{"request", duplex::request_buffer_name(name), "absent (no server)"},
                    {"response", duplex::response_buffer_name(name), "absent (no client)"}};
    std::vector<host_buffer> found;
    for (const part& p : parts) {
        // A name near the length limit has no channel.
        if (!validate_name(p.buffer)) {
            if (host_buffer b = scan_buffer(p.buffer); b.segment) {
                found.push_back(std::move(b));
            }
        }
    }
    const auto channels = find_channels(found);
    if (channels.empty()) {
        return false;
    }
    const host_channel& ch = channels.front();
    parts[0].found = ch.request;
    parts[1].found = ch.response;
    valid = true;
    std::ostringstream out;
    if (clear_screen) {
        out << "\033[H\033[2J";
    }
    boost::json::object j{{"channel", ch.name}, {"state", ch.state()}};
    if (!json) {
        out << "channel     " << ch.name << ": " << ch.state() << " (server "
            << pid_text(ch.server_pid(), ch.server_alive()) << ", client "
            << pid_text(ch.client_pid(), ch.client_alive()) << ")\n";
    }
    for (const part& p : parts) {
        boost::system::error_code ec;
        const auto view = p.found != nullptr ? segment_view::open(p.buffer, ec) : std::nullopt;
        if (!view) {
            j[p.key] = nullptr;
            if (!json) {
                out << '\n' << p.buffer << ' ' << p.absent << '\n';
            }
            continue;
        }
        const segment_status st = examine(*view);
        valid = valid && st.valid;
        if (json) {
            j[p.key] = to_json(p.buffer, st);
        } else {
            out << '\n';
            print_text(out, p.buffer, *view, st);
        }
    }
    if (json) {
        write_json(out, j);
        out << '\n';
    }
    std::cout << out.str() << std::flush;
    return true;
}

/// One look at the buffer, or at the channel of that name when there is no
/// such buffer. False when neither exists (or cannot be read).
bool show_once(const std::string& name, bool json, bool clear_screen, bool& valid)
{
    boost::system::error_code ec;
    const auto view = segment_view::open(name, ec);
    if (!view) {
        if (ec.value() == ENOENT) {
            if (show_channel(name, json, clear_screen, valid)) {
                return true;
            }
            std::cerr << "zerobuffer inspect: no buffer named '" << name << "' ("
                      << segment_path(name) << " does not exist)\n";
        } else {
            std::cerr << "zerobuffer inspect: cannot read " << segment_path(name) << ": "
                      << ec.message() << '\n';
        }
        return false;
    }
    const segment_status st = examine(*view);
    valid = st.valid;
    std::ostringstream out;
    if (json) {
        write_json(out, to_json(name, st));
        out << '\n';
    } else {
        if (clear_screen) {
            out << "\033[H\033[2J";
        }
        print_text(out, name, *view, st);
    }
    std::cout << out.str() << std::flush;
    return true;
}

} // namespace

int run_inspect(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("json", "print a JSON object (with --watch: one per line)");
        add("watch,w", po::value<std::string>()->value_name("SECONDS")->implicit_value("1"),
            "refresh every SECONDS (default 1; write --watch=0.5) until Ctrl-C or the buffer goes "
            "away");
        add("iterations", po::value<std::string>()->value_name("N"),
            "with --watch: stop after this many looks");
    }
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("name", po::value<std::string>());
    }
    po::positional_options_description pos;
    pos.add("name", 1);

    const auto vm = parse_command(inspect_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    const std::string name = required_name(*vm);
    const bool json = vm->count("json") != 0;
    const auto watch = string_option(*vm, "watch");
    std::uint64_t iterations = 0;
    if (const auto v = string_option(*vm, "iterations")) {
        if (!watch) {
            throw usage_error("--iterations needs --watch");
        }
        iterations = parse_count("--iterations", *v);
    }
    bool valid = false;
    if (!watch) {
        if (!show_once(name, json, false, valid)) {
            return exit_failure;
        }
        return valid ? exit_ok : exit_failure;
    }

    const auto interval = parse_seconds("--watch", *watch);
    if (interval < std::chrono::milliseconds(10)) {
        throw usage_error("--watch: refresh at most every 10 ms");
    }
    install_stop_handlers();
    const bool clear_screen = !json && ::isatty(STDOUT_FILENO) == 1;
    for (std::uint64_t i = 0; iterations == 0 || i < iterations; ++i) {
        if (i != 0 && !json && !clear_screen) {
            std::cout << '\n';
        }
        if (!show_once(name, json, clear_screen, valid)) {
            // It went away while we watched: that is how a watch ends.
            return i == 0 ? exit_failure : exit_ok;
        }
        if (iterations != 0 && i + 1 == iterations) {
            break;
        }
        const auto until = clock_type::now() + interval;
        while (clock_type::now() < until && !stop_requested()) {
            std::this_thread::sleep_for(std::min<clock_type::duration>(
                until - clock_type::now(), std::chrono::milliseconds(50)));
        }
        if (stop_requested()) {
            break;
        }
    }
    return exit_ok;
}

} // namespace zerobuffer::tool
