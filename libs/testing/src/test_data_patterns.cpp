// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/testing/test_data_patterns.hpp>

namespace zerobuffer::testing {

void test_data_patterns::fill_frame(std::span<std::byte> out, std::uint64_t sequence) noexcept
{
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = frame_byte(i, sequence);
    }
}

std::vector<std::byte> test_data_patterns::frame_data(std::size_t size, std::uint64_t sequence)
{
    std::vector<std::byte> data(size);
    fill_frame(data, sequence);
    return data;
}

std::size_t test_data_patterns::first_frame_mismatch(std::span<const std::byte> data,
                                                     std::uint64_t sequence) noexcept
{
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] != frame_byte(i, sequence)) {
            return i;
        }
    }
    return data.size();
}

void test_data_patterns::fill_simple(std::span<std::byte> out) noexcept
{
    // The simple pattern is the frame pattern of sequence 0.
    fill_frame(out, 0);
}

std::vector<std::byte> test_data_patterns::simple_data(std::size_t size)
{
    return frame_data(size, 0);
}

bool test_data_patterns::verify_simple(std::span<const std::byte> data) noexcept
{
    return verify_frame(data, 0);
}

} // namespace zerobuffer::testing
