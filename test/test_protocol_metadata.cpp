// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suite for protocol/metadata.hpp on plain byte arrays (PROTOCOL.md section 4;
// CONFORMANCE 3.1, 3.2, 3.3).

#define BOOST_TEST_MODULE protocol_metadata
#include <boost/test/unit_test.hpp>

#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include "support/vector_image.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace zp = zerobuffer::protocol;
using zerobuffer::errc;
using zerobuffer::test_support::aligned_bytes;
using zerobuffer::test_support::read_le64;
using zerobuffer::test_support::write_le64;
using patterns = zerobuffer::testing::test_data_patterns;

namespace {

std::span<const std::byte> bytes_of(std::string_view s)
{
    return std::as_bytes(std::span(s.data(), s.size()));
}

// An OIEB followed by a metadata block of `metadata_size` bytes (and a 64-byte ring).
struct segment {
    explicit segment(std::uint64_t metadata_size = 1024)
        : layout(*zp::make_layout(metadata_size, 64)), bytes(layout.segment_size())
    {
        zp::initialize_oieb(oieb(), layout, 1234);
    }
    zp::oieb_ref oieb() { return zp::oieb_ref(bytes.data()); }
    std::span<std::byte> block()
    {
        return bytes.span().subspan(layout.metadata_offset(), layout.metadata_size);
    }
    std::uint64_t written() { return read_le64(bytes.span(), 0x18); }
    std::uint64_t free_bytes() { return read_le64(bytes.span(), 0x10); }

    zp::segment_layout layout;
    aligned_bytes bytes;
};

} // namespace

BOOST_AUTO_TEST_SUITE(metadata)

// --- parse_metadata ------------------------------------------------------

BOOST_AUTO_TEST_CASE(parse_with_nothing_written_is_empty)
{
    std::vector<std::byte> block(64, std::byte{0x55});
    boost::system::error_code ec = errc::invalid_state;
    const auto content = zp::parse_metadata(block, 0, ec);
    BOOST_TEST(!ec);
    BOOST_TEST(content.empty());
}

BOOST_AUTO_TEST_CASE(parse_a_valid_block)
{
    std::vector<std::byte> block(64);
    write_le64(block, 0, 5);
    std::memcpy(block.data() + 8, "hello", 5);
    boost::system::error_code ec;
    const auto content = zp::parse_metadata(block, 13, ec);
    BOOST_TEST(!ec);
    BOOST_TEST_REQUIRE(content.size() == 5U);
    BOOST_TEST(content.data() == block.data() + 8); // a view, not a copy
    BOOST_TEST(std::memcmp(content.data(), "hello", 5) == 0);
}

BOOST_AUTO_TEST_CASE(parse_a_block_filled_to_the_last_byte)
{
    std::vector<std::byte> block(64);
    write_le64(block, 0, 56);
    patterns::fill_simple(std::span(block).subspan(8));
    boost::system::error_code ec;
    const auto content = zp::parse_metadata(block, 64, ec);
    BOOST_TEST(!ec);
    BOOST_TEST(content.size() == 56U);
    BOOST_TEST(patterns::verify_metadata(content));
}

BOOST_AUTO_TEST_CASE(parse_empty_metadata_that_was_written)
{
    std::vector<std::byte> block(64);
    boost::system::error_code ec;
    const auto content = zp::parse_metadata(block, 8, ec); // prefix 0
    BOOST_TEST(!ec);
    BOOST_TEST(content.empty());
}

BOOST_AUTO_TEST_CASE(parse_refuses_a_written_count_beyond_the_block)
{
    std::vector<std::byte> block(64);
    write_le64(block, 0, 57);
    boost::system::error_code ec;
    const auto content = zp::parse_metadata(block, 65, ec);
    BOOST_TEST(ec == errc::corrupted_buffer);
    BOOST_TEST(content.empty());
    BOOST_TEST(zp::parse_metadata(block, std::numeric_limits<std::uint64_t>::max(), ec).empty());
    BOOST_TEST(ec == errc::corrupted_buffer);
    // Nothing at all fits an empty block.
    BOOST_TEST(zp::parse_metadata({}, 8, ec).empty());
    BOOST_TEST(ec == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(parse_refuses_a_written_count_shorter_than_the_prefix)
{
    std::vector<std::byte> block(64);
    for (std::uint64_t written = 1; written < 8; ++written) {
        boost::system::error_code ec;
        const auto content = zp::parse_metadata(block, written, ec);
        BOOST_TEST(ec == errc::corrupted_buffer, "written " << written);
        BOOST_TEST(content.empty());
    }
}

BOOST_AUTO_TEST_CASE(parse_refuses_a_prefix_that_disagrees_with_the_written_count)
{
    std::vector<std::byte> block(64);
    std::memcpy(block.data() + 8, "hello", 5);
    for (std::uint64_t prefix : {std::uint64_t{4}, std::uint64_t{6}, std::uint64_t{56},
                                 std::uint64_t{57}, std::numeric_limits<std::uint64_t>::max(),
                                 std::numeric_limits<std::uint64_t>::max() - 7}) {
        write_le64(block, 0, prefix);
        boost::system::error_code ec;
        const auto content = zp::parse_metadata(block, 13, ec);
        BOOST_TEST(ec == errc::corrupted_buffer, "prefix " << prefix);
        BOOST_TEST(content.empty());
    }
}

BOOST_AUTO_TEST_CASE(parse_the_basic_golden_image)
{
    auto image = zerobuffer::test_support::load_image("basic__w-cpp_r-cpp.bin");
    boost::system::error_code ec;
    const auto content =
        zp::parse_metadata(image.span().subspan(128, 1024), read_le64(image.span(), 0x18), ec);
    BOOST_TEST(!ec);
    BOOST_TEST_REQUIRE(content.size() == 5U);
    BOOST_TEST(std::memcmp(content.data(), "hello", 5) == 0);
}

// --- write_metadata ------------------------------------------------------

BOOST_AUTO_TEST_CASE(write_stores_prefix_content_and_counts)
{
    segment seg;
    const auto ec = zp::write_metadata(seg.oieb(), seg.block(), bytes_of("hello"));
    BOOST_TEST(!ec);
    BOOST_TEST(read_le64(seg.block(), 0) == 5U);
    BOOST_TEST(std::memcmp(seg.block().data() + 8, "hello", 5) == 0);
    BOOST_TEST(std::to_integer<int>(seg.block()[13]) == 0);
    BOOST_TEST(seg.written() == 13U);
    BOOST_TEST(seg.free_bytes() == 1011U);

    // The basic vector holds exactly this block and these counters.
    auto image = zerobuffer::test_support::load_image("basic__w-cpp_r-cpp.bin");
    BOOST_TEST(std::memcmp(image.data() + 128, seg.block().data(), 1024) == 0);
    BOOST_TEST(read_le64(image.span(), 0x10) == seg.free_bytes());
    BOOST_TEST(read_le64(image.span(), 0x18) == seg.written());

    boost::system::error_code pec;
    const auto content = zp::parse_metadata(seg.block(), seg.written(), pec);
    BOOST_TEST(!pec);
    BOOST_TEST(content.size() == 5U);
}

BOOST_AUTO_TEST_CASE(write_twice_is_refused_and_changes_nothing)
{
    segment seg;
    BOOST_TEST_REQUIRE(!zp::write_metadata(seg.oieb(), seg.block(), bytes_of("first")));
    const std::vector<std::byte> before(seg.bytes.span().begin(), seg.bytes.span().end());
    const auto ec = zp::write_metadata(seg.oieb(), seg.block(), bytes_of("second!"));
    BOOST_TEST(ec == errc::metadata_already_written);
    const std::vector<std::byte> after(seg.bytes.span().begin(), seg.bytes.span().end());
    BOOST_TEST((before == after));
}

BOOST_AUTO_TEST_CASE(write_is_refused_when_a_peer_already_wrote)
{
    // A buffer whose OIEB records metadata: the writer may not write again.
    segment seg;
    write_le64(seg.bytes.span(), 0x18, 8);
    BOOST_TEST(zp::write_metadata(seg.oieb(), seg.block(), bytes_of("x")) ==
               errc::metadata_already_written);
    BOOST_TEST(read_le64(seg.block(), 0) == 0U);
}

BOOST_AUTO_TEST_CASE(write_empty_metadata_counts_the_prefix)
{
    segment seg(64);
    BOOST_TEST(!zp::write_metadata(seg.oieb(), seg.block(), {}));
    BOOST_TEST(seg.written() == 8U);
    BOOST_TEST(seg.free_bytes() == 56U);
    // Written once, even though empty.
    BOOST_TEST(zp::write_metadata(seg.oieb(), seg.block(), bytes_of("x")) ==
               errc::metadata_already_written);
}

BOOST_AUTO_TEST_CASE(write_that_fills_the_block_exactly)
{
    segment seg(64);
    const auto md = patterns::metadata(56);
    BOOST_TEST(!zp::write_metadata(seg.oieb(), seg.block(), md));
    BOOST_TEST(seg.written() == 64U);
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(read_le64(seg.block(), 0) == 56U);
    BOOST_TEST(patterns::verify_metadata(seg.block().subspan(8)));
}

BOOST_AUTO_TEST_CASE(write_too_large_is_refused_and_changes_nothing)
{
    for (std::size_t size :
         {std::size_t{57}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
        segment seg(64);
        const std::vector<std::byte> before(seg.bytes.span().begin(), seg.bytes.span().end());
        const auto md = patterns::metadata(size);
        BOOST_TEST(zp::write_metadata(seg.oieb(), seg.block(), md) == errc::metadata_too_large,
                   "size " << size);
        const std::vector<std::byte> after(seg.bytes.span().begin(), seg.bytes.span().end());
        BOOST_TEST((before == after), "size " << size);
        // The buffer stays usable (CONFORMANCE 3.2).
        BOOST_TEST(!zp::write_metadata(seg.oieb(), seg.block(), bytes_of("ok")));
        BOOST_TEST(seg.written() == 10U);
    }
}

BOOST_AUTO_TEST_CASE(zero_size_metadata_block)
{
    segment seg(0);
    BOOST_TEST(seg.block().empty());
    BOOST_TEST(seg.layout.payload_offset() == 128U);
    const std::vector<std::byte> before(seg.bytes.span().begin(), seg.bytes.span().end());
    BOOST_TEST(zp::write_metadata(seg.oieb(), seg.block(), bytes_of("x")) ==
               errc::metadata_too_large);
    BOOST_TEST(zp::write_metadata(seg.oieb(), seg.block(), {}) == errc::metadata_too_large);
    const std::vector<std::byte> after(seg.bytes.span().begin(), seg.bytes.span().end());
    BOOST_TEST((before == after));
    boost::system::error_code ec;
    BOOST_TEST(zp::parse_metadata(seg.block(), 0, ec).empty());
    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_SUITE_END()
