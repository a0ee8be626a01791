// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_REQUEST_HPP
#define ZEROBUFFER_DUPLEX_REQUEST_HPP

/// @file
/// What a server's handler is given: a read-only view of one request.

#include <cstddef>
#include <cstdint>
#include <span>

namespace zerobuffer::duplex {

/// A request as a handler sees it: its bytes, still in the request ring
/// (zero-copy), and its sequence number. The view is valid until the handler
/// returns; copy what must outlive it.
class request {
public:
    /// A view of `bytes` with `sequence` (the server builds these; tests of a
    /// handler may too).
    request(std::span<const std::byte> bytes, std::uint64_t sequence) noexcept
        : bytes_(bytes), sequence_(sequence)
    {
    }

    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    const std::byte* data() const noexcept { return bytes_.data(); }
    std::size_t size() const noexcept { return bytes_.size(); }
    /// The client's sequence number of this request (1, 2, 3, ... per client
    /// connection): its response carries the same one.
    std::uint64_t sequence() const noexcept { return sequence_; }

private:
    std::span<const std::byte> bytes_;
    std::uint64_t sequence_;
};

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_REQUEST_HPP
