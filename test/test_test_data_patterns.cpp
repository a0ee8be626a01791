// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#define BOOST_TEST_MODULE test_data_patterns
#include <boost/test/unit_test.hpp>

#include <zerobuffer/testing/test_data_patterns.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

using patterns = zerobuffer::testing::test_data_patterns;

namespace {

std::uint8_t u8(std::byte b)
{
    return std::to_integer<std::uint8_t>(b);
}

} // namespace

BOOST_AUTO_TEST_SUITE(test_data_patterns)

BOOST_AUTO_TEST_CASE(frame_byte_is_index_plus_sequence_mod_256)
{
    BOOST_TEST(u8(patterns::frame_byte(0, 0)) == 0);
    BOOST_TEST(u8(patterns::frame_byte(0, 1)) == 1);
    BOOST_TEST(u8(patterns::frame_byte(10, 3)) == 13);
    BOOST_TEST(u8(patterns::frame_byte(255, 1)) == 0);
    BOOST_TEST(u8(patterns::frame_byte(300, 0)) == 300 % 256);
    BOOST_TEST(u8(patterns::frame_byte(1, 0xffff'ffff'ffff'ffffULL)) == 0);
    BOOST_TEST(u8(patterns::frame_byte(7, 256 * 5 + 9)) == 16);
}

BOOST_AUTO_TEST_CASE(frame_data_follows_the_pattern)
{
    const auto data = patterns::frame_data(1000, 7);
    BOOST_TEST_REQUIRE(data.size() == 1000U);
    for (std::size_t i = 0; i < data.size(); ++i) {
        BOOST_TEST_REQUIRE(u8(data[i]) == (i + 7) % 256);
    }
    BOOST_TEST(patterns::frame_data(0, 1).empty());
}

BOOST_AUTO_TEST_CASE(fill_frame_fills_exactly_the_span)
{
    std::array<std::byte, 12> buf{};
    buf.fill(std::byte{0xEE});
    patterns::fill_frame(std::span(buf).subspan(1, 10), 250);
    BOOST_TEST(u8(buf[0]) == 0xEE);
    BOOST_TEST(u8(buf[11]) == 0xEE);
    for (std::size_t i = 0; i < 10; ++i) {
        BOOST_TEST(u8(buf[i + 1]) == (i + 250) % 256);
    }
}

BOOST_AUTO_TEST_CASE(verify_frame_accepts_the_pattern_and_finds_the_first_mismatch)
{
    auto data = patterns::frame_data(600, 42);
    BOOST_TEST(patterns::verify_frame(data, 42));
    BOOST_TEST(patterns::first_frame_mismatch(data, 42) == data.size());
    BOOST_TEST(!patterns::verify_frame(data, 43));
    BOOST_TEST(patterns::first_frame_mismatch(data, 43) == 0U);
    // Sequences 256 apart have the same pattern.
    BOOST_TEST(patterns::verify_frame(data, 42 + 256));

    data[517] ^= std::byte{0x01};
    BOOST_TEST(!patterns::verify_frame(data, 42));
    BOOST_TEST(patterns::first_frame_mismatch(data, 42) == 517U);
    data[3] ^= std::byte{0x80};
    BOOST_TEST(patterns::first_frame_mismatch(data, 42) == 3U);
}

BOOST_AUTO_TEST_CASE(verify_frame_of_empty_data_is_true)
{
    BOOST_TEST(patterns::verify_frame({}, 5));
    BOOST_TEST(patterns::first_frame_mismatch({}, 5) == 0U);
}

BOOST_AUTO_TEST_CASE(simple_pattern_is_index_mod_256)
{
    const auto data = patterns::simple_data(513);
    BOOST_TEST_REQUIRE(data.size() == 513U);
    for (std::size_t i = 0; i < data.size(); ++i) {
        BOOST_TEST_REQUIRE(u8(data[i]) == i % 256);
    }
    BOOST_TEST(patterns::verify_simple(data));

    std::vector<std::byte> filled(300, std::byte{0xAA});
    patterns::fill_simple(filled);
    BOOST_TEST(filled == patterns::simple_data(300));

    filled[299] = std::byte{0};
    BOOST_TEST(!patterns::verify_simple(filled));
    // The frame pattern of sequence 1 is not the simple pattern.
    BOOST_TEST(!patterns::verify_simple(patterns::frame_data(10, 1)));
}

BOOST_AUTO_TEST_CASE(metadata_is_the_simple_pattern)
{
    const auto md = patterns::metadata(1000);
    BOOST_TEST(md == patterns::simple_data(1000));
    BOOST_TEST(patterns::verify_metadata(md));
    auto bad = md;
    bad[256] = std::byte{1};
    BOOST_TEST(!patterns::verify_metadata(bad));
    BOOST_TEST(patterns::metadata(0).empty());
}

BOOST_AUTO_TEST_SUITE_END()
