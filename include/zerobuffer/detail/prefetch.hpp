// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_PREFETCH_HPP
#define ZEROBUFFER_DETAIL_PREFETCH_HPP

/// @file
/// Asking the cache for lines before they are read. A hint: it never faults
/// and changes no value, so any address inside a mapping will do.

#include <cstddef>
#include <cstdint>
#include <span>

namespace zerobuffer::detail {

/// The cache line size the prefetches step by.
inline constexpr std::size_t prefetch_line_size = 64;

/// Requests every cache line that `bytes` touches for reading.
inline void prefetch_for_read(std::span<const std::byte> bytes) noexcept
{
    if (bytes.empty()) {
        return;
    }
    // From the start of the first line: bytes that begin mid-line may touch
    // one line more than their size suggests.
    const std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(bytes.data());
    const std::uintptr_t end = begin + bytes.size();
    for (std::uintptr_t line = begin & ~std::uintptr_t{prefetch_line_size - 1}; line < end;
         line += prefetch_line_size) {
        __builtin_prefetch(reinterpret_cast<const void*>(line), 0, 3);
    }
}

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_PREFETCH_HPP
