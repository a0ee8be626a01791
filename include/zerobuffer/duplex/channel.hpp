// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_CHANNEL_HPP
#define ZEROBUFFER_DUPLEX_CHANNEL_HPP

/// @file
/// The two buffers of a duplex channel (PROTOCOL.md section 8) and the sizes
/// our endpoints give them unless told otherwise.

#include <zerobuffer/buffer_config.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace zerobuffer::duplex {

/// `NAME_request`: the buffer the server creates and the client writes.
inline std::string request_buffer_name(std::string_view channel)
{
    return std::string(channel) + "_request";
}

/// `NAME_response`: the buffer the client creates and the server writes.
inline std::string response_buffer_name(std::string_view channel)
{
    return std::string(channel) + "_response";
}

/// The payload ring of each buffer of a channel by default: 16 MiB. Both
/// buffers of a channel (32 MiB) fit a container's default /dev/shm (64 MiB)
/// with room to spare; a 3 MB video frame still fits each ring five times.
/// The reference clients create 256 MiB rings: size ours up with the
/// endpoints' options where frames are larger.
inline constexpr std::size_t default_ring_size = std::size_t{16} << 20;

/// The buffer configuration the endpoints create by default.
inline buffer_config default_buffer_config()
{
    buffer_config config;
    config.metadata_size = 4096;
    config.payload_size = default_ring_size;
    return config;
}

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_CHANNEL_HPP
