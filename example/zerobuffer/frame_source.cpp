// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "frame_source.hpp"

namespace zerobuffer::tool {

namespace {
/// Random frames start at one of this many offsets into the pool.
constexpr std::size_t random_offsets = 4096;
} // namespace

fill_pattern parse_pattern(std::string_view text)
{
    if (text == "test") {
        return fill_pattern::test;
    }
    if (text == "zeros") {
        return fill_pattern::zeros;
    }
    if (text == "random") {
        return fill_pattern::random;
    }
    throw usage_error("invalid value '" + std::string(text) +
                      "' for --pattern: expected test, zeros or random");
}

std::string_view to_string(fill_pattern p) noexcept
{
    switch (p) {
    case fill_pattern::test: return "test";
    case fill_pattern::zeros: return "zeros";
    case fill_pattern::random: return "random";
    }
    return "test";
}

frame_source::frame_source(size_range sizes, fill_pattern pattern, std::uint64_t seed)
    : sizes_(sizes), pattern_(pattern), size_rng_(seed), size_dist_(sizes.min, sizes.max)
{
    const auto max = static_cast<std::size_t>(sizes.max);
    switch (pattern) {
    case fill_pattern::test:
        // Frame s starts at offset s mod 256 of 0, 1, ..., 255, 0, 1, ...
        pool_.resize(max + 256);
        for (std::size_t i = 0; i < pool_.size(); ++i) {
            pool_[i] = static_cast<std::byte>(i & 0xffU);
        }
        break;
    case fill_pattern::zeros: pool_.assign(max, std::byte{0}); break;
    case fill_pattern::random: {
        pool_.resize(max + random_offsets);
        std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
        for (std::size_t i = 0; i < pool_.size(); i += 8) {
            std::uint64_t v = rng();
            for (std::size_t k = 0; k < 8 && i + k < pool_.size(); ++k, v >>= 8) {
                pool_[i + k] = static_cast<std::byte>(v & 0xffU);
            }
        }
        break;
    }
    }
}

std::size_t frame_source::next_size()
{
    if (sizes_.min == sizes_.max) {
        return static_cast<std::size_t>(sizes_.min);
    }
    return static_cast<std::size_t>(size_dist_(size_rng_));
}

std::span<const std::byte> frame_source::contents(std::uint64_t sequence,
                                                  std::size_t size) const noexcept
{
    std::size_t offset = 0;
    if (pattern_ == fill_pattern::test) {
        offset = static_cast<std::size_t>(sequence & 0xffU);
    } else if (pattern_ == fill_pattern::random) {
        offset = static_cast<std::size_t>((sequence * 2654435761ULL) % random_offsets);
    }
    return std::span<const std::byte>(pool_).subspan(offset, size);
}

} // namespace zerobuffer::tool
