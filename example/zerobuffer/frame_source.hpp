// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_FRAME_SOURCE_HPP
#define ZEROBUFFER_TOOL_FRAME_SOURCE_HPP

// What `write` sends when it does not read a file: frames of a fixed size or
// of sizes drawn from a range, filled with the test pattern, zeros or random
// bytes. The contents come from a pool prepared once, so that making a frame
// costs no more than the copy into the ring.

#include "options.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

namespace zerobuffer::tool {

enum class fill_pattern { test, zeros, random };

/// "test", "zeros" or "random"; `usage_error` otherwise.
fill_pattern parse_pattern(std::string_view text);
std::string_view to_string(fill_pattern p) noexcept;

class frame_source {
public:
    frame_source(size_range sizes, fill_pattern pattern, std::uint64_t seed);

    /// The size of the next frame.
    std::size_t next_size();
    /// The contents of the frame with `sequence` and `size` bytes
    /// (the test pattern: byte i = (i + sequence) mod 256).
    std::span<const std::byte> contents(std::uint64_t sequence, std::size_t size) const noexcept;

private:
    size_range sizes_;
    fill_pattern pattern_;
    std::mt19937_64 size_rng_;
    std::uniform_int_distribution<std::uint64_t> size_dist_;
    std::vector<std::byte> pool_;
};

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_FRAME_SOURCE_HPP
