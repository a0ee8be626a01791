// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer list: every buffer on this host and how it stands.

#include "channel_view.hpp"
#include "commands.hpp"
#include "host_scan.hpp"
#include "json_print.hpp"
#include "options.hpp"
#include "progress.hpp"

#include <cstdio>
#include <iostream>
#include <utility>

namespace zerobuffer::tool {

namespace {

const command_help list_help{
    "list", "[NAME...] [options]",
    "Lists the buffers on this host (or only the NAMEs given), found from the lock files\n"
    "in /tmp/zerobuffer and the segments and semaphores in /dev/shm, with their state:\n"
    "  live      a reader holds the buffer's lock\n"
    "  stale     a lock file nobody holds: the reader died ('zerobuffer cleanup' removes it)\n"
    "  orphaned  a segment or semaphores without a lock file (likewise)\n"
    "  unknown   the lock file cannot be opened (another user's buffer)\n"
    "Telling live from stale takes an unheld lock for an instant, as the protocol's own\n"
    "stale check does. The two buffers of a duplex channel X (X_request, X_response)\n"
    "are also shown together, as the channel X, after the buffers; 'list X' shows both.",
    "  zerobuffer list\n"
    "  zerobuffer list demo_channel\n"
    "  zerobuffer list --json"};

std::string pid_column(std::uint64_t pid, bool alive)
{
    if (pid == 0) {
        return "-";
    }
    return std::to_string(pid) + (alive ? "" : " (dead)");
}

std::string parts(const host_buffer& b)
{
    std::string s;
    const auto add = [&](bool present, const char* what) {
        if (present) {
            s += s.empty() ? what : std::string(",") + what;
        }
    };
    add(b.lock_file, "lock");
    add(b.segment, "segment");
    add(b.write_semaphore, "sem-w");
    add(b.read_semaphore, "sem-r");
    return s;
}

void print_table(const std::vector<host_buffer>& buffers)
{
    if (buffers.empty()) {
        std::cout << "no buffers\n";
        return;
    }
    std::size_t width = 4;
    for (const auto& b : buffers) {
        width = std::max(width, b.name.size());
    }
    std::printf("%-*s  %-8s  %10s  %6s  %-14s  %-14s  %s\n", static_cast<int>(width), "NAME",
                "STATE", "RING", "USED", "READER", "WRITER", "RESOURCES");
    for (const auto& b : buffers) {
        std::string ring = "-";
        std::string used = "-";
        std::string reader = "-";
        std::string writer = "-";
        if (b.status) {
            const auto& st = *b.status;
            if (st.valid) {
                ring = format_bytes(static_cast<double>(st.oieb.payload_size));
                char u[16];
                std::snprintf(u, sizeof u, "%.0f%%", st.health.utilization * 100.0);
                used = u;
            }
            reader = pid_column(st.oieb.reader_pid, st.reader_alive);
            writer = pid_column(st.oieb.writer_pid, st.writer_alive);
        }
        std::string extra = parts(b);
        if (b.status && !b.status->valid) {
            extra += "; " + b.status->problem;
        }
        if (!b.note.empty()) {
            extra += "; " + b.note;
        }
        std::printf("%-*s  %-8s  %10s  %6s  %-14s  %-14s  %s\n", static_cast<int>(width),
                    b.name.c_str(), std::string(to_string(b.state)).c_str(), ring.c_str(),
                    used.c_str(), reader.c_str(), writer.c_str(), extra.c_str());
    }
}

std::string ring_column(const host_buffer* b)
{
    if (b == nullptr) {
        return "absent";
    }
    if (!b->status || !b->status->valid) {
        return "-";
    }
    return format_bytes(static_cast<double>(b->status->oieb.payload_size));
}

/// After the buffers: each channel on one line, when there are any (the
/// table of plain buffers stays as it is).
void print_channels(const std::vector<host_channel>& channels)
{
    if (channels.empty()) {
        return;
    }
    std::size_t width = 7;
    for (const auto& c : channels) {
        width = std::max(width, c.name.size());
    }
    std::printf("\n%-*s  %-9s  %-14s  %-14s  %12s  %13s\n", static_cast<int>(width), "CHANNEL",
                "STATE", "SERVER", "CLIENT", "REQUEST RING", "RESPONSE RING");
    for (const auto& c : channels) {
        std::printf("%-*s  %-9s  %-14s  %-14s  %12s  %13s\n", static_cast<int>(width),
                    c.name.c_str(), std::string(c.state()).c_str(),
                    pid_column(c.server_pid(), c.server_alive()).c_str(),
                    pid_column(c.client_pid(), c.client_alive()).c_str(),
                    ring_column(c.request).c_str(), ring_column(c.response).c_str());
    }
}

boost::json::object to_json(const host_buffer& b)
{
    boost::json::object o{{"name", b.name},
                          {"state", to_string(b.state)},
                          {"lock_file", b.lock_file},
                          {"segment", b.segment},
                          {"write_semaphore", b.write_semaphore},
                          {"read_semaphore", b.read_semaphore}};
    // What the segment says, when there is one to read.
    if (b.status) {
        const auto& st = *b.status;
        o["valid"] = st.valid;
        o["segment_size"] = st.segment_size;
        o["payload_size"] = st.oieb.payload_size;
        o["metadata_size"] = st.oieb.metadata_size;
        o["utilization"] = st.health.utilization;
        o["reader_pid"] = st.oieb.reader_pid;
        o["reader_alive"] = st.reader_alive;
        o["writer_pid"] = st.oieb.writer_pid;
        o["writer_alive"] = st.writer_alive;
    }
    o["note"] = text_or_null(b.note);
    // Only on a channel's buffers: a plain buffer's entry stays as it was.
    if (const std::string channel = channel_of(b.name); !channel.empty()) {
        o["channel"] = channel;
    }
    return o;
}

void print_json(const std::vector<host_buffer>& buffers)
{
    boost::json::array list;
    for (const auto& b : buffers) {
        list.emplace_back(to_json(b));
    }
    boost::json::object out{{"buffers", std::move(list)}};
    // "channels" only when there are any: a listing of plain buffers stays as it was.
    if (const auto channels = find_channels(buffers); !channels.empty()) {
        boost::json::array cs;
        for (const auto& c : channels) {
            cs.emplace_back(c.to_json());
        }
        out["channels"] = std::move(cs);
    }
    write_json(std::cout, out);
    std::cout << std::endl;
}

} // namespace

int run_list(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("json", "print a JSON object: {\"buffers\": [...]}, with \"channels\": [...] "
                    "when there are duplex channels");
    }
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("names", po::value<std::vector<std::string>>());
    }
    po::positional_options_description pos;
    pos.add("names", -1);

    const auto vm = parse_command(list_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    std::vector<std::string> only;
    if (vm->count("names") != 0) {
        only = (*vm)["names"].as<std::vector<std::string>>();
        for (const auto& n : only) {
            check_name(n);
        }
    }
    // A NAME may be a channel's: its two buffers are looked for too.
    auto buffers = scan_host(with_channel_buffers(only));
    if (!only.empty()) {
        std::erase_if(buffers, [&](const host_buffer& b) { return !is_wanted(b, only); });
    }
    if (vm->count("json") != 0) {
        print_json(buffers);
    } else {
        print_table(buffers);
        print_channels(find_channels(buffers));
    }
    return exit_ok;
}

} // namespace zerobuffer::tool
