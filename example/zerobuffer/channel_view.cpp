// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "channel_view.hpp"

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/resources.hpp>

#include <algorithm>
#include <map>

namespace zerobuffer::tool {

namespace {

constexpr std::string_view request_suffix = "_request";
constexpr std::string_view response_suffix = "_response";

bool is_live(const host_buffer* b) noexcept
{
    return b != nullptr && b->state == buffer_state::live;
}

std::uint64_t reader_pid(const host_buffer* b) noexcept
{
    return b != nullptr && b->status ? b->status->oieb.reader_pid : 0;
}

bool reader_alive(const host_buffer* b) noexcept
{
    return b != nullptr && b->status && b->status->reader_alive;
}

boost::json::value name_or_null(const host_buffer* b)
{
    return b != nullptr ? boost::json::value(b->name) : boost::json::value(nullptr);
}

} // namespace

std::string channel_of(std::string_view buffer)
{
    for (const std::string_view suffix : {request_suffix, response_suffix}) {
        if (buffer.size() > suffix.size() && buffer.ends_with(suffix)) {
            return std::string(buffer.substr(0, buffer.size() - suffix.size()));
        }
    }
    return {};
}

std::string_view host_channel::state() const noexcept
{
    for (const host_buffer* b : {request, response}) {
        if (b != nullptr && b->state == buffer_state::unknown) {
            return "unknown";
        }
    }
    for (const host_buffer* b : {request, response}) {
        if (b != nullptr && b->state != buffer_state::live) {
            return "stale";
        }
    }
    if (is_live(request) && is_live(response)) {
        return "connected";
    }
    return is_live(request) ? "waiting" : "no_server";
}

std::uint64_t host_channel::server_pid() const noexcept
{
    return reader_pid(request);
}

std::uint64_t host_channel::client_pid() const noexcept
{
    return reader_pid(response);
}

bool host_channel::server_alive() const noexcept
{
    return reader_alive(request);
}

bool host_channel::client_alive() const noexcept
{
    return reader_alive(response);
}

boost::json::object host_channel::to_json() const
{
    return {{"name", name},
            {"state", state()},
            {"request", name_or_null(request)},
            {"response", name_or_null(response)},
            {"server_pid", server_pid()},
            {"server_alive", server_alive()},
            {"client_pid", client_pid()},
            {"client_alive", client_alive()}};
}

std::vector<host_channel> find_channels(const std::vector<host_buffer>& buffers)
{
    std::map<std::string, host_channel> by_name;
    for (const host_buffer& b : buffers) {
        const std::string channel = channel_of(b.name);
        if (channel.empty()) {
            continue;
        }
        host_channel& c = by_name[channel];
        c.name = channel;
        (b.name == duplex::request_buffer_name(channel) ? c.request : c.response) = &b;
    }
    std::vector<host_channel> channels;
    for (auto& [name, c] : by_name) {
        channels.push_back(std::move(c));
    }
    return channels;
}

std::vector<std::string> with_channel_buffers(const std::vector<std::string>& names)
{
    std::vector<std::string> all;
    for (const std::string& n : names) {
        all.push_back(n);
        // A name near the length limit has no channel: its buffers' names
        // would be too long.
        for (std::string b : {duplex::request_buffer_name(n), duplex::response_buffer_name(n)}) {
            if (!validate_name(b)) {
                all.push_back(std::move(b));
            }
        }
    }
    return all;
}

bool is_wanted(const host_buffer& b, const std::vector<std::string>& names)
{
    const std::string channel = channel_of(b.name);
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return n == b.name || (!channel.empty() && n == channel);
    });
}

} // namespace zerobuffer::tool
