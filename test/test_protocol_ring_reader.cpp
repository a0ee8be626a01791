// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suite for protocol/ring_engine.hpp's ring_reader on a plain byte array:
// short tails, exact ends, sequence gaps, corruption, and when a frame counts
// as committed (PROTOCOL.md section 5; CONFORMANCE 4.4, 4.5, 5.2, 5.3).

#define BOOST_TEST_MODULE protocol_ring_reader
#include <boost/test/unit_test.hpp>

#include "support/ring_fixture.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

namespace zp = zerobuffer::protocol;
using zerobuffer::errc;
using zerobuffer::test_support::aligned_bytes;
using namespace zerobuffer::test_support::ring_fixture;

BOOST_AUTO_TEST_SUITE(ring_reader)

BOOST_AUTO_TEST_CASE(short_tail_with_old_data_is_skipped)
{
    // The tail_lt16_dirty vector: the 8 bytes before the end hold old frame data.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4080);
    r.release_frame(read_ok(r, 4080, 1));
    write_ok(w, 4072);
    r.release_frame(read_ok(r, 4072, 2));
    write_ok(w, 100);
    BOOST_TEST(std::to_integer<int>(seg.ring()[4088]) != 0);
    r.release_frame(read_ok(r, 100, 3));
    BOOST_TEST(seg.free_bytes() == 4096U);
    BOOST_TEST(seg.written() == 3U);
    BOOST_TEST(seg.read_count() == 3U);
}

BOOST_AUTO_TEST_CASE(exact_end_leaves_write_pos_at_the_ring_size)
{
    // CONFORMANCE 4.4; the exact_end vector.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4080);
    BOOST_TEST(w.write_pos() == 4096U);
    BOOST_TEST(seg.write_pos() == 4096U); // as the C++ reference stores it
    BOOST_TEST(seg.free_bytes() == 0U);
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(1, data) == errc::buffer_full);

    r.release_frame(read_ok(r, 4080, 1));
    BOOST_TEST(seg.free_bytes() == 4096U);
    write_ok(w, 100);
    BOOST_TEST(zp::load_header(seg.ring()).payload_size == 100U);
    BOOST_TEST(seg.written() == 2U);
    BOOST_TEST(seg.write_pos() == 116U);
    r.release_frame(read_ok(r, 100, 2));
    BOOST_TEST(seg.read_pos() == 116U);
    BOOST_TEST(seg.read_count() == 2U);
    BOOST_TEST(seg.free_bytes() == 4096U);
}

BOOST_AUTO_TEST_CASE(reader_at_the_ring_size_continues_at_0)
{
    test_segment seg(1024);
    seg.set(zp::oieb_field::payload_write_pos, 1024);
    seg.set(zp::oieb_field::payload_read_pos, 1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 30);
    BOOST_TEST(w.write_pos() == 46U);
    BOOST_TEST(seg.free_bytes() == 1024U - 46U);
    r.release_frame(read_ok(r, 30, 1));
    BOOST_TEST(seg.read_pos() == 46U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(next_header_area_is_where_the_next_frame_starts_within_the_ring)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    const auto starts_at = [&](std::span<const std::byte> area, std::uint64_t pos,
                               std::uint64_t size) {
        BOOST_TEST(area.data() == seg.ring() + pos);
        BOOST_TEST(area.size() == size);
    };
    starts_at(r.next_header_area(128), 0, 128);
    starts_at(r.next_header_area(4096), 0, 1024); // never past the ring

    write_ok(w, 100);
    r.release_frame(read_ok(r, 100, 1));
    starts_at(r.next_header_area(128), 116, 128); // the next header, unwritten yet

    seg.set(zp::oieb_field::payload_read_pos, 1000);
    starts_at(zp::ring_reader(seg.view()).next_header_area(128), 1000, 24);
    seg.set(zp::oieb_field::payload_read_pos, 1024); // the ring size is 0
    starts_at(zp::ring_reader(seg.view()).next_header_area(128), 0, 128);
    seg.set(zp::oieb_field::payload_read_pos, 1040); // beyond: nothing to hint
    BOOST_TEST(zp::ring_reader(seg.view()).next_header_area(128).empty());
}

BOOST_AUTO_TEST_CASE(sequence_gap_is_reported_then_the_frame_found_is_delivered)
{
    // CONFORMANCE 5.2, 6.1: a header whose sequence was corrupted by hand.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 10); // 0..26
    write_ok(w, 20); // 26..62
    write_ok(w, 30); // 62..108
    zp::store_header(seg.ring() + 26, zp::frame_header{20, 7});

    read_ok(r, 10, 1);
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::sequence_error);
    BOOST_TEST(r.read_pos() == 26U); // nothing consumed
    BOOST_TEST(seg.read_pos() == 26U);
    BOOST_TEST(seg.read_count() == 1U);
    BOOST_TEST(r.expected_sequence() == 7U);
    BOOST_TEST_REQUIRE(!r.next(f));
    BOOST_TEST(f.sequence == 7U);
    BOOST_TEST(f.size == 20U);
    BOOST_TEST(seg.read_count() == 2U);
    // Frame 3 now looks like a gap backwards, and is delivered after the report.
    BOOST_TEST(r.next(f) == errc::sequence_error);
    BOOST_TEST(r.expected_sequence() == 3U);
    read_ok(r, 30, 3);
}

BOOST_AUTO_TEST_CASE(restart_and_set_expected_sequence)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    r.set_expected_sequence(5);
    BOOST_TEST(r.expected_sequence() == 5U);
    write_ok(w, 10);
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::sequence_error);
    r.restart_sequence();
    BOOST_TEST(r.expected_sequence() == 1U);
    read_ok(r, 10, 1);
}

BOOST_AUTO_TEST_CASE(header_beyond_the_ring_is_corruption_and_nothing_advances)
{
    // CONFORMANCE 5.1, 5.2.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 10);
    write_ok(w, 10);
    zp::store_header(seg.ring() + 26, zp::frame_header{1024, 2}); // 26 + 16 + 1024 > 1024
    r.release_frame(read_ok(r, 10, 1));
    const auto before = seg.copy();
    zp::delivered_frame f;
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(r.next(f) == errc::corrupted_buffer);
    }
    BOOST_TEST(r.read_pos() == 26U);
    BOOST_TEST(r.expected_sequence() == 2U);
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");
}

BOOST_AUTO_TEST_CASE(read_position_beyond_the_ring_is_corruption)
{
    test_segment seg(1024);
    seg.set(zp::oieb_field::payload_read_pos, 1025);
    zp::ring_reader r(seg.view());
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::corrupted_buffer);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(a_marker_at_position_0_is_corruption_and_frees_nothing)
{
    // A writer never puts a marker at 0 (every frame fits there). A reader
    // that finds one (e.g. a token without a frame: zeroed bytes) must not
    // loop, and must not give bytes back that were never taken.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 100);
    r.release_frame(read_ok(r, 100, 1));
    zp::store_header(seg.ring(), zp::frame_header{0, 0});
    seg.set(zp::oieb_field::payload_read_pos, 0);
    zp::ring_reader r0(seg.view());
    r0.set_expected_sequence(2);
    zp::delivered_frame f;
    BOOST_TEST(r0.next(f) == errc::corrupted_buffer);
    BOOST_TEST(seg.free_bytes() <= 1024U);
}

BOOST_AUTO_TEST_CASE(has_unread_bytes_follows_the_positions)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    BOOST_TEST(!r.has_unread_bytes());
    write_ok(w, 100);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 100, 1));
    BOOST_TEST(!r.has_unread_bytes());
    // A short tail before the write position's wrap.
    write_ok(w, 1024 - 116 - 16 - 8); // ends 8 bytes before the end
    r.release_frame(read_ok(r, 1024 - 116 - 16 - 8, 2));
    BOOST_TEST(!r.has_unread_bytes());
    write_ok(w, 10);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 10, 3));
    BOOST_TEST(!r.has_unread_bytes());
}

BOOST_AUTO_TEST_CASE(has_unread_bytes_when_the_writer_stopped_before_a_short_tail)
{
    // The writer's last frame ends 8 bytes before the end; the reader is at 0
    // and has not read it. (The writer wraps only with its next frame.)
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 1000); // [0, 1016)
    BOOST_TEST(seg.write_pos() == 1016U);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 1000, 1));
    BOOST_TEST(!r.has_unread_bytes());
}

// A writer that follows PROTOCOL.md step by step gives the wrapped tail up
// (step 3) before it writes the frame at 0 (steps 4-5), where the last lap's
// frame still lies: the tail alone is not a frame to read.
BOOST_AUTO_TEST_CASE(a_tail_given_up_before_its_frame_is_not_a_frame)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 900); // [0, 916)
    r.release_frame(read_ok(r, 900, 1));
    BOOST_TEST(!r.has_unread_bytes());

    // Step 3 of a frame of 200 bytes: a marker at 916, its count, the tail.
    zp::store_header(seg.ring() + 916, zp::frame_header{0, 0});
    seg.set(zp::oieb_field::payload_written_count, seg.written() + 1);
    seg.set(zp::oieb_field::payload_free_bytes, seg.free_bytes() - (1024 - 916));
    seg.set(zp::oieb_field::payload_write_pos, 0);
    BOOST_TEST(!r.has_unread_bytes()); // frame 1's old header lies at 0

    // Steps 4-5: header and data at 0, then position, free bytes and count.
    zp::store_header(seg.ring(), zp::frame_header{200, 2});
    patterns::fill_frame({seg.ring() + zp::frame_header_size, 200}, 2);
    seg.set(zp::oieb_field::payload_write_pos, 216);
    seg.set(zp::oieb_field::payload_free_bytes, seg.free_bytes() - 216);
    seg.set(zp::oieb_field::payload_written_count, seg.written() + 1);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 200, 2));
    BOOST_TEST(seg.free_bytes() == 1024U);
    BOOST_TEST(!r.has_unread_bytes());
}

// A read position from the OIEB beyond the ring (a corrupted image, a
// hostile peer) is never used to read: the check for a committed frame
// leaves it to next(), which reports the corruption.
BOOST_AUTO_TEST_CASE(has_unread_bytes_never_reads_outside_the_ring)
{
    test_segment seg(1024);
    seg.set(zp::oieb_field::payload_read_pos, 1024 + 4096);
    seg.set(zp::oieb_field::payload_free_bytes, 512);
    zp::ring_reader r(seg.view());
    BOOST_TEST(r.has_unread_bytes());
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(has_unread_bytes_when_the_ring_is_full)
{
    // A full ring has write_pos == read_pos (modulo the exact end) and unread
    // frames: the positions alone cannot tell it from an empty ring.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4080); // the exact_end vector: write_pos 4096, read_pos 0
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(r.has_unread_bytes());

    test_segment seg2(256);
    zp::ring_writer w2(seg2.view());
    zp::ring_reader r2(seg2.view());
    write_ok(w2, 48);
    r2.release_frame(read_ok(r2, 48, 1)); // read_pos 64
    for (int i = 0; i < 4; ++i) {
        write_ok(w2, 48); // 64..128, 128..192, 192..256, 0..64
    }
    BOOST_TEST(seg2.free_bytes() == 0U);
    BOOST_TEST(seg2.write_pos() == seg2.read_pos());
    BOOST_TEST(r2.has_unread_bytes());
}

BOOST_AUTO_TEST_SUITE_END()
