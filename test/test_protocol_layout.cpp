// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suites for protocol/layout.hpp and protocol/oieb.hpp: the segment layout and
// the OIEB on plain byte arrays (PROTOCOL.md sections 2 and 3; CONFORMANCE 8.1, 8.2).

#define BOOST_TEST_MODULE protocol_layout
#include <boost/test/unit_test.hpp>

#include <zerobuffer/protocol/layout.hpp>
#include <zerobuffer/protocol/oieb.hpp>

#include "support/vector_image.hpp"

#include <cstdint>
#include <limits>

namespace zp = zerobuffer::protocol;
using zerobuffer::errc;
using zerobuffer::test_support::aligned_bytes;
using zerobuffer::test_support::read_le32;
using zerobuffer::test_support::read_le64;
using zerobuffer::test_support::write_le64;

namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

std::uint8_t byte_at(std::span<const std::byte> bytes, std::size_t i)
{
    return std::to_integer<std::uint8_t>(bytes[i]);
}

} // namespace

BOOST_AUTO_TEST_SUITE(layout)

BOOST_AUTO_TEST_CASE(constants_match_the_protocol)
{
    BOOST_TEST(zp::oieb_size == 128U);
    BOOST_TEST(zp::block_alignment == 64U);
    BOOST_TEST(zp::frame_header_size == 16U);
    BOOST_TEST(zp::metadata_prefix_size == 8U);
    BOOST_TEST(zp::version_major == 1);
    BOOST_TEST(zp::version_minor == 0);
    BOOST_TEST(zp::version_patch == 0);
}

BOOST_AUTO_TEST_CASE(c8_1_oieb_offsets_match_the_protocol_table)
{
    namespace off = zp::oieb_offset;
    BOOST_TEST(off::oieb_size == 0x00U);
    BOOST_TEST(off::version == 0x04U);
    BOOST_TEST(off::metadata_size == 0x08U);
    BOOST_TEST(off::metadata_free_bytes == 0x10U);
    BOOST_TEST(off::metadata_written_bytes == 0x18U);
    BOOST_TEST(off::payload_size == 0x20U);
    BOOST_TEST(off::payload_free_bytes == 0x28U);
    BOOST_TEST(off::payload_write_pos == 0x30U);
    BOOST_TEST(off::payload_read_pos == 0x38U);
    BOOST_TEST(off::payload_written_count == 0x40U);
    BOOST_TEST(off::payload_read_count == 0x48U);
    BOOST_TEST(off::writer_pid == 0x50U);
    BOOST_TEST(off::reader_pid == 0x58U);
    BOOST_TEST(off::reserved == 0x60U);
}

BOOST_AUTO_TEST_CASE(c8_2_round_up_block_rounds_to_64)
{
    BOOST_TEST(zp::round_up_block(0).value() == 0U);
    BOOST_TEST(zp::round_up_block(1).value() == 64U);
    BOOST_TEST(zp::round_up_block(63).value() == 64U);
    BOOST_TEST(zp::round_up_block(64).value() == 64U);
    BOOST_TEST(zp::round_up_block(65).value() == 128U);
    BOOST_TEST(zp::round_up_block(1000).value() == 1024U);
    BOOST_TEST(zp::round_up_block(4096).value() == 4096U);
    BOOST_TEST(zp::round_up_block(zp::max_block_size - 1).value() == zp::max_block_size);
    BOOST_TEST(zp::round_up_block(zp::max_block_size).value() == zp::max_block_size);
}

BOOST_AUTO_TEST_CASE(round_up_block_refuses_sizes_beyond_the_maximum)
{
    BOOST_TEST(zp::max_block_size == std::uint64_t{1} << 40);
    BOOST_TEST(!zp::round_up_block(zp::max_block_size + 1).has_value());
    // Sizes whose rounding would overflow a u64.
    BOOST_TEST(!zp::round_up_block(u64_max).has_value());
    BOOST_TEST(!zp::round_up_block(u64_max - 62).has_value());
}

BOOST_AUTO_TEST_CASE(make_layout_of_the_vector_config)
{
    const auto l = zp::make_layout(1024, 4096);
    BOOST_TEST_REQUIRE(l.has_value());
    BOOST_TEST(l->metadata_size == 1024U);
    BOOST_TEST(l->payload_size == 4096U);
    BOOST_TEST(l->metadata_offset() == 128U);
    BOOST_TEST(l->payload_offset() == 1152U);
    BOOST_TEST(l->segment_size() == 5248U);
}

BOOST_AUTO_TEST_CASE(c8_2_make_layout_rounds_both_blocks_up)
{
    const auto l = zp::make_layout(100, 1000);
    BOOST_TEST_REQUIRE(l.has_value());
    BOOST_TEST(l->metadata_size == 128U);
    BOOST_TEST(l->payload_size == 1024U);
    BOOST_TEST(l->payload_offset() == 256U);
    BOOST_TEST(l->segment_size() == 1280U);
    // Both blocks start 64-byte aligned (CONFORMANCE 8.2).
    BOOST_TEST(l->metadata_offset() % 64 == 0U);
    BOOST_TEST(l->payload_offset() % 64 == 0U);

    const auto tiny = zp::make_layout(1, 1);
    BOOST_TEST_REQUIRE(tiny.has_value());
    BOOST_TEST(tiny->metadata_size == 64U);
    BOOST_TEST(tiny->payload_size == 64U);
}

BOOST_AUTO_TEST_CASE(make_layout_accepts_an_empty_metadata_block)
{
    const auto l = zp::make_layout(0, 64);
    BOOST_TEST_REQUIRE(l.has_value());
    BOOST_TEST(l->metadata_size == 0U);
    BOOST_TEST(l->payload_size == 64U);
    BOOST_TEST(l->metadata_offset() == 128U);
    BOOST_TEST(l->payload_offset() == 128U);
    BOOST_TEST(l->segment_size() == 192U);
}

BOOST_AUTO_TEST_CASE(make_layout_refuses_an_empty_payload)
{
    BOOST_TEST(!zp::make_layout(0, 0).has_value());
    BOOST_TEST(!zp::make_layout(1024, 0).has_value());
}

BOOST_AUTO_TEST_CASE(make_layout_refuses_oversized_blocks)
{
    BOOST_TEST(!zp::make_layout(zp::max_block_size + 1, 64).has_value());
    BOOST_TEST(!zp::make_layout(64, zp::max_block_size + 1).has_value());
    BOOST_TEST(!zp::make_layout(u64_max, 64).has_value());
    BOOST_TEST(!zp::make_layout(64, u64_max).has_value());

    // The largest accepted sizes do not overflow the segment size.
    const auto big = zp::make_layout(zp::max_block_size, zp::max_block_size);
    BOOST_TEST_REQUIRE(big.has_value());
    BOOST_TEST(big->segment_size() == 128 + 2 * zp::max_block_size);
}

BOOST_AUTO_TEST_CASE(layout_is_usable_at_compile_time)
{
    constexpr auto l = zp::make_layout(1, 65);
    static_assert(l.has_value() && l->segment_size() == 128 + 64 + 128);
    BOOST_TEST(l->payload_size == 128U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(oieb)

namespace {

constexpr std::uint64_t some_pid = 0x1122334455667788ULL;

struct initialized_oieb {
    initialized_oieb()
    {
        for (auto& b : bytes.span()) {
            b = std::byte{0xAB};
        }
        zp::initialize_oieb(zp::oieb_ref(bytes.data()), *zp::make_layout(1024, 4096), some_pid);
    }
    zp::oieb_snapshot snapshot() { return zp::take_snapshot(zp::oieb_ref(bytes.data())); }

    aligned_bytes bytes{5248};
};

// A snapshot of a valid OIEB for layout (1024, 4096): segment 5248 bytes.
zp::oieb_snapshot valid_snapshot()
{
    return initialized_oieb().snapshot();
}

boost::system::error_code validate(const zp::oieb_snapshot& s, std::uint64_t segment_size = 5248)
{
    zp::segment_layout layout;
    return zp::validate_oieb(s, segment_size, layout);
}

} // namespace

BOOST_FIXTURE_TEST_CASE(c8_1_initialize_writes_the_protocol_values_little_endian, initialized_oieb)
{
    const auto b = bytes.span();
    // oieb_size: u32 128.
    BOOST_TEST(byte_at(b, 0) == 0x80);
    BOOST_TEST(byte_at(b, 1) == 0);
    BOOST_TEST(byte_at(b, 2) == 0);
    BOOST_TEST(byte_at(b, 3) == 0);
    // version: major, minor, patch, reserved.
    BOOST_TEST(byte_at(b, 4) == 1);
    BOOST_TEST(byte_at(b, 5) == 0);
    BOOST_TEST(byte_at(b, 6) == 0);
    BOOST_TEST(byte_at(b, 7) == 0);
    // metadata_size = 1024 = 00 04 00 00 00 00 00 00.
    BOOST_TEST(byte_at(b, 0x08) == 0x00);
    BOOST_TEST(byte_at(b, 0x09) == 0x04);
    BOOST_TEST(read_le64(b, 0x08) == 1024U);
    BOOST_TEST(read_le64(b, 0x10) == 1024U); // metadata_free_bytes
    BOOST_TEST(read_le64(b, 0x18) == 0U);    // metadata_written_bytes
    // payload_size = 4096 = 00 10 00 ...
    BOOST_TEST(byte_at(b, 0x20) == 0x00);
    BOOST_TEST(byte_at(b, 0x21) == 0x10);
    BOOST_TEST(read_le64(b, 0x20) == 4096U);
    BOOST_TEST(read_le64(b, 0x28) == 4096U); // payload_free_bytes
    BOOST_TEST(read_le64(b, 0x30) == 0U);    // write_pos
    BOOST_TEST(read_le64(b, 0x38) == 0U);    // read_pos
    BOOST_TEST(read_le64(b, 0x40) == 0U);    // written_count
    BOOST_TEST(read_le64(b, 0x48) == 0U);    // read_count
    BOOST_TEST(read_le64(b, 0x50) == 0U);    // writer_pid
    // reader_pid, least significant byte first.
    BOOST_TEST(byte_at(b, 0x58) == 0x88);
    BOOST_TEST(byte_at(b, 0x5F) == 0x11);
    BOOST_TEST(read_le64(b, 0x58) == some_pid);
    for (std::size_t i = 0x60; i < 0x80; ++i) {
        BOOST_TEST(byte_at(b, i) == 0, "reserved byte " << i);
    }
}

BOOST_FIXTURE_TEST_CASE(initialize_touches_only_the_oieb, initialized_oieb)
{
    const auto b = bytes.span();
    for (std::size_t i = zp::oieb_size; i < b.size(); ++i) {
        BOOST_TEST_REQUIRE(byte_at(b, i) == 0xAB, "byte " << i);
    }
}

BOOST_FIXTURE_TEST_CASE(snapshot_of_a_fresh_oieb_holds_the_initial_values, initialized_oieb)
{
    const auto s = snapshot();
    BOOST_TEST(s.oieb_size == 128U);
    BOOST_TEST(s.version_major == 1);
    BOOST_TEST(s.version_minor == 0);
    BOOST_TEST(s.version_patch == 0);
    BOOST_TEST(s.metadata_size == 1024U);
    BOOST_TEST(s.metadata_free_bytes == 1024U);
    BOOST_TEST(s.metadata_written_bytes == 0U);
    BOOST_TEST(s.payload_size == 4096U);
    BOOST_TEST(s.payload_free_bytes == 4096U);
    BOOST_TEST(s.payload_write_pos == 0U);
    BOOST_TEST(s.payload_read_pos == 0U);
    BOOST_TEST(s.payload_written_count == 0U);
    BOOST_TEST(s.payload_read_count == 0U);
    BOOST_TEST(s.writer_pid == 0U);
    BOOST_TEST(s.reader_pid == some_pid);
}

BOOST_AUTO_TEST_CASE(initialize_zeroes_a_dirty_oieb)
{
    aligned_bytes bytes(128 + 64 + 64);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes.span()[i] = static_cast<std::byte>(i * 7 + 1);
    }
    zp::initialize_oieb(zp::oieb_ref(bytes.data()), *zp::make_layout(0, 64), 0);
    const auto b = bytes.span();
    BOOST_TEST(read_le32(b, 0) == 128U);
    BOOST_TEST(read_le32(b, 4) == 1U);
    BOOST_TEST(read_le64(b, 0x08) == 0U);
    BOOST_TEST(read_le64(b, 0x10) == 0U);
    BOOST_TEST(read_le64(b, 0x20) == 64U);
    BOOST_TEST(read_le64(b, 0x28) == 64U);
    for (std::size_t off : {0x18, 0x30, 0x38, 0x40, 0x48, 0x50, 0x58, 0x60, 0x68, 0x70, 0x78}) {
        BOOST_TEST(read_le64(b, off) == 0U, "offset " << off);
    }
}

BOOST_AUTO_TEST_CASE(snapshot_reads_every_field_from_its_offset)
{
    aligned_bytes bytes(128);
    const auto b = bytes.span();
    write_le64(b, 0x00, 0x0403'0201'0000'0080ULL); // oieb_size 128; version 1.2.3.4
    for (std::size_t i = 1; i <= 11; ++i) {
        write_le64(b, i * 8, 1000 + i);
    }
    const auto s = zp::take_snapshot(zp::oieb_ref(bytes.data()));
    BOOST_TEST(s.oieb_size == 128U);
    BOOST_TEST(s.version_major == 1);
    BOOST_TEST(s.version_minor == 2);
    BOOST_TEST(s.version_patch == 3);
    BOOST_TEST(s.metadata_size == 1001U);
    BOOST_TEST(s.metadata_free_bytes == 1002U);
    BOOST_TEST(s.metadata_written_bytes == 1003U);
    BOOST_TEST(s.payload_size == 1004U);
    BOOST_TEST(s.payload_free_bytes == 1005U);
    BOOST_TEST(s.payload_write_pos == 1006U);
    BOOST_TEST(s.payload_read_pos == 1007U);
    BOOST_TEST(s.payload_written_count == 1008U);
    BOOST_TEST(s.payload_read_count == 1009U);
    BOOST_TEST(s.writer_pid == 1010U);
    BOOST_TEST(s.reader_pid == 1011U);
}

BOOST_AUTO_TEST_CASE(oieb_ref_accesses_the_documented_offsets)
{
    aligned_bytes bytes(128);
    const zp::oieb_ref oieb(bytes.data());
    oieb.store(zp::oieb_field::payload_write_pos, 0x0102, std::memory_order_relaxed);
    BOOST_TEST(read_le64(bytes.span(), 0x30) == 0x0102U);
    oieb.fetch_add(zp::oieb_field::payload_free_bytes, 5, std::memory_order_relaxed);
    oieb.fetch_sub(zp::oieb_field::payload_free_bytes, 2, std::memory_order_relaxed);
    BOOST_TEST(read_le64(bytes.span(), 0x28) == 3U);
    std::uint64_t expected = 3;
    BOOST_TEST(oieb.compare_exchange(zp::oieb_field::payload_free_bytes, expected, 9,
                                     std::memory_order_relaxed));
    BOOST_TEST(read_le64(bytes.span(), 0x28) == 9U);
    expected = 3;
    BOOST_TEST(!oieb.compare_exchange(zp::oieb_field::payload_free_bytes, expected, 1,
                                      std::memory_order_relaxed));
    BOOST_TEST(expected == 9U);
    write_le64(bytes.span(), 0x58, 77);
    BOOST_TEST(oieb.load(zp::oieb_field::reader_pid, std::memory_order_relaxed) == 77U);
    write_le64(bytes.span(), 0x00, 0x0000'0002'0000'0080ULL);
    BOOST_TEST(oieb.oieb_size() == 128U);
    BOOST_TEST(oieb.version_major() == 2);
}

BOOST_AUTO_TEST_CASE(validate_accepts_a_fresh_oieb_and_reports_its_layout)
{
    zp::segment_layout layout;
    BOOST_TEST(!zp::validate_oieb(valid_snapshot(), 5248, layout));
    BOOST_TEST(layout.metadata_size == 1024U);
    BOOST_TEST(layout.payload_size == 4096U);
}

BOOST_AUTO_TEST_CASE(validate_accepts_the_extremes_of_the_ranges)
{
    auto s = valid_snapshot();
    s.payload_write_pos = 4096; // the C++ reference's exact-end position
    s.payload_read_pos = 4096;
    s.payload_free_bytes = 0;
    s.metadata_written_bytes = 1024;
    s.metadata_free_bytes = 0;
    BOOST_TEST(!validate(s));
    s.payload_free_bytes = 4096;
    BOOST_TEST(!validate(s));
    // Only the major version matters.
    s.version_minor = 7;
    s.version_patch = 9;
    BOOST_TEST(!validate(s));
    // Counters and pids are not range-checked.
    s.payload_written_count = u64_max;
    s.writer_pid = u64_max;
    BOOST_TEST(!validate(s));
}

BOOST_AUTO_TEST_CASE(validate_accepts_an_empty_metadata_block)
{
    aligned_bytes bytes(128 + 64);
    zp::initialize_oieb(zp::oieb_ref(bytes.data()), *zp::make_layout(0, 64), 1);
    zp::segment_layout layout;
    BOOST_TEST(!zp::validate_oieb(zp::take_snapshot(zp::oieb_ref(bytes.data())), 192, layout));
    BOOST_TEST(layout.metadata_size == 0U);
    BOOST_TEST(layout.payload_size == 64U);
}

BOOST_AUTO_TEST_CASE(validate_refuses_a_wrong_oieb_size)
{
    for (std::uint32_t size : {0U, 64U, 127U, 129U, 256U}) {
        auto s = valid_snapshot();
        s.oieb_size = size;
        const auto ec = validate(s);
        BOOST_TEST(ec.failed(), "oieb_size " << size);
        // Either code is a clear refusal (CONFORMANCE 3.7).
        BOOST_TEST((ec == errc::corrupted_buffer || ec == errc::incompatible_version),
                   "oieb_size " << size << ": " << ec.message());
    }
}

BOOST_AUTO_TEST_CASE(validate_refuses_another_major_version)
{
    for (std::uint8_t major : {0, 2, 255}) {
        auto s = valid_snapshot();
        s.version_major = major;
        BOOST_TEST(validate(s) == errc::incompatible_version, "major " << int(major));
    }
}

BOOST_AUTO_TEST_CASE(validate_refuses_blocks_not_multiple_of_64)
{
    auto s = valid_snapshot();
    s.metadata_size = 1000;
    BOOST_TEST(validate(s, 128 + 1000 + 4096) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.payload_size = 4000;
    BOOST_TEST(validate(s, 128 + 1024 + 4000) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.metadata_size = 1056; // 1024 + 32: multiple of 32 only
    s.payload_size = 4064;
    BOOST_TEST(validate(s, 5248) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(validate_refuses_sizes_not_adding_up_to_the_segment)
{
    const auto s = valid_snapshot();
    BOOST_TEST(validate(s, 5247) == errc::corrupted_buffer);
    BOOST_TEST(validate(s, 5249) == errc::corrupted_buffer);
    BOOST_TEST(validate(s, 5248 + 64) == errc::corrupted_buffer);
    BOOST_TEST(validate(s, 5248 - 64) == errc::corrupted_buffer);
    BOOST_TEST(validate(s, 0) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(validate_refuses_an_empty_payload_block)
{
    auto s = valid_snapshot();
    s.metadata_size = 1024 + 4096;
    s.metadata_free_bytes = 0;
    s.payload_size = 0;
    s.payload_free_bytes = 0;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(validate_refuses_sizes_whose_sum_overflows)
{
    // 128 + (2^64 - 64) + 128 wraps around to 192.
    auto s = valid_snapshot();
    s.metadata_size = u64_max - 63;
    s.metadata_free_bytes = 0;
    s.payload_size = 128;
    s.payload_free_bytes = 128;
    BOOST_TEST(validate(s, 192) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.metadata_size = 64;
    s.metadata_free_bytes = 64;
    s.payload_size = u64_max - 63;
    s.payload_free_bytes = 0;
    BOOST_TEST(validate(s, 128) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(validate_refuses_positions_beyond_the_ring)
{
    auto s = valid_snapshot();
    s.payload_write_pos = 4097;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.payload_read_pos = 4097;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.payload_read_pos = u64_max;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(validate_refuses_free_bytes_beyond_the_blocks)
{
    auto s = valid_snapshot();
    s.payload_free_bytes = 4097;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.payload_free_bytes = u64_max; // e.g. a release that underflowed
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.metadata_free_bytes = 1025;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
    s = valid_snapshot();
    s.metadata_written_bytes = 1025;
    BOOST_TEST(validate(s) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(validate_accepts_every_golden_image)
{
    namespace fs = std::filesystem;
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(zerobuffer::test_support::vectors_dir())) {
        if (entry.path().extension() != ".bin") {
            continue;
        }
        auto image = zerobuffer::test_support::load_image(entry.path().filename().string());
        zp::segment_layout layout;
        const auto ec =
            zp::validate_oieb(zp::take_snapshot(zp::oieb_ref(image.data())), image.size(), layout);
        BOOST_TEST(!ec, entry.path().filename() << ": " << ec.message());
        BOOST_TEST(layout.metadata_size == 1024U);
        BOOST_TEST(layout.payload_size == 4096U);
        ++checked;
    }
    BOOST_TEST(checked >= 20);
}

BOOST_AUTO_TEST_SUITE_END()
