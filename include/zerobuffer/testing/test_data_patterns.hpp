// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TESTING_TEST_DATA_PATTERNS_HPP
#define ZEROBUFFER_TESTING_TEST_DATA_PATTERNS_HPP

/// @file
/// The test data of PROTOCOL.md section 9, shared by every implementation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zerobuffer::testing {

/// Generators and checkers of the shared test patterns.
struct test_data_patterns {
    /// Byte i of the frame with sequence s: (i + s) mod 256.
    static std::byte frame_byte(std::size_t i, std::uint64_t sequence) noexcept
    {
        return static_cast<std::byte>((i + sequence) & 0xffU);
    }
    /// Fills `out` with the frame pattern of `sequence`.
    static void fill_frame(std::span<std::byte> out, std::uint64_t sequence) noexcept;
    static std::vector<std::byte> frame_data(std::size_t size, std::uint64_t sequence);
    /// Index of the first byte of `data` that breaks the pattern, or `data.size()`.
    static std::size_t first_frame_mismatch(std::span<const std::byte> data,
                                            std::uint64_t sequence) noexcept;
    static bool verify_frame(std::span<const std::byte> data, std::uint64_t sequence) noexcept
    {
        return first_frame_mismatch(data, sequence) == data.size();
    }

    /// Simple pattern: byte i = i mod 256.
    static void fill_simple(std::span<std::byte> out) noexcept;
    static std::vector<std::byte> simple_data(std::size_t size);
    static bool verify_simple(std::span<const std::byte> data) noexcept;

    /// Test metadata of size n: byte i = i mod 256 (the simple pattern).
    static std::vector<std::byte> metadata(std::size_t size) { return simple_data(size); }
    static bool verify_metadata(std::span<const std::byte> data) noexcept
    {
        return verify_simple(data);
    }
};

} // namespace zerobuffer::testing

#endif // ZEROBUFFER_TESTING_TEST_DATA_PATTERNS_HPP
