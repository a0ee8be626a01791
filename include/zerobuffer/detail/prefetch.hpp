// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_PREFETCH_HPP
#define ZEROBUFFER_DETAIL_PREFETCH_HPP

/// @file
/// Asking the cache for lines before they are read. A hint: it never faults
/// and changes no value, so any address inside a mapping will do.

#include <cstddef>
#include <span>

namespace zerobuffer::detail {

/// The cache line size the prefetches step by.
inline constexpr std::size_t prefetch_line_size = 64;

/// Requests every cache line of `bytes` for reading.
inline void prefetch_for_read(std::span<const std::byte> bytes) noexcept
{
    for (std::size_t offset = 0; offset < bytes.size(); offset += prefetch_line_size) {
        __builtin_prefetch(bytes.data() + offset, 0, 3);
    }
}

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_PREFETCH_HPP
