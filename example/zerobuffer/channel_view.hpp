// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_CHANNEL_VIEW_HPP
#define ZEROBUFFER_TOOL_CHANNEL_VIEW_HPP

// The buffers of a duplex channel X (PROTOCOL.md section 8), X_request (the
// server reads it) and X_response (the client reads it), seen as one: how
// `list` and `inspect` show a channel. A buffer is taken for part of a
// channel by its name alone: a plain buffer named "a_request" shows as the
// request buffer of a channel "a".

#include "host_scan.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer::tool {

/// "X" for "X_request" or "X_response" (X not empty); empty for any other name.
std::string channel_of(std::string_view buffer);

/// A channel and those of its two buffers that exist.
struct host_channel {
    std::string name;
    const host_buffer* request = nullptr;  ///< X_request, when present
    const host_buffer* response = nullptr; ///< X_response, when present

    /// connected  both buffers live: a server and a client
    /// waiting    the request buffer live, no response buffer: a server waits
    /// no_server  the response buffer live, no request buffer: a client alone
    /// stale      a buffer of it is stale or orphaned ('zerobuffer cleanup')
    /// unknown    a buffer of it cannot be probed
    std::string_view state() const noexcept;
    /// The server's pid (the request buffer's reader) and the client's (the
    /// response buffer's reader); 0 when unknown.
    std::uint64_t server_pid() const noexcept;
    std::uint64_t client_pid() const noexcept;
    bool server_alive() const noexcept;
    bool client_alive() const noexcept;

    /// {"name","state","request","response","server_pid","server_alive",
    ///  "client_pid","client_alive"}: "request"/"response" name the buffer,
    /// null when it is absent.
    boost::json::object to_json() const;
};

/// The channels among `buffers`, sorted by name; pointers into `buffers`.
std::vector<host_channel> find_channels(const std::vector<host_buffer>& buffers);

/// The names `list NAME...` scans: each NAME and its channel buffers.
std::vector<std::string> with_channel_buffers(const std::vector<std::string>& names);

/// Whether `b` is one `list NAME...` asked for: one of `names`, or a buffer of
/// a channel among them.
bool is_wanted(const host_buffer& b, const std::vector<std::string>& names);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_CHANNEL_VIEW_HPP
