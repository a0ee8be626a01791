// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suite for protocol/ring_engine.hpp: ring_writer and ring_reader driven
// together on a plain byte array, no shared memory, no semaphores
// (PROTOCOL.md section 5; CONFORMANCE 1.5, 3.4, 4.4, 4.5, 5.2, 5.3, 6.1, 6.2):
// round trips, wraps, releases, a full ring. The reader's own cases are in
// test_protocol_ring_reader.cpp, release_order's in
// test_protocol_release_order.cpp.

#define BOOST_TEST_MODULE protocol_ring_engine
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

BOOST_AUTO_TEST_SUITE(ring_engine)

BOOST_AUTO_TEST_CASE(one_frame_round_trip)
{
    test_segment seg;
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    BOOST_TEST(w.next_sequence() == 1U);
    BOOST_TEST(r.expected_sequence() == 1U);

    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(100, data));
    BOOST_TEST(w.has_reservation());
    BOOST_TEST(data.data() == seg.ring() + 16); // zero-copy: inside the ring
    BOOST_TEST(data.size() == 100U);
    const auto h = zp::load_header(seg.ring());
    BOOST_TEST(h.payload_size == 100U);
    BOOST_TEST(h.sequence == 1U);
    patterns::fill_frame(data, 1);
    BOOST_TEST(w.commit() == 1U);
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(w.next_sequence() == 2U);
    BOOST_TEST(w.write_pos() == 116U);
    BOOST_TEST(seg.write_pos() == 116U);
    BOOST_TEST(seg.free_bytes() == 1024U - 116U);
    BOOST_TEST(seg.written() == 1U);

    const auto f = read_ok(r, 100, 1);
    BOOST_TEST(f.data == seg.ring() + 16);
    BOOST_TEST(r.read_pos() == 116U);
    BOOST_TEST(seg.read_pos() == 116U);
    BOOST_TEST(seg.read_count() == 1U);
    BOOST_TEST(r.expected_sequence() == 2U);
    // Reading does not free space; releasing does.
    BOOST_TEST(seg.free_bytes() == 1024U - 116U);
    const auto ret = r.release_frame(f);
    BOOST_TEST(ret.bytes == 116U);
    BOOST_TEST(ret.frames == 1U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(a_reservation_is_invisible_until_committed)
{
    test_segment seg;
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(50, data));
    BOOST_TEST(seg.write_pos() == 0U);
    BOOST_TEST(seg.free_bytes() == 1024U);
    BOOST_TEST(seg.written() == 0U);
    BOOST_TEST(!r.has_unread_bytes());
    patterns::fill_frame(data, 1);
    w.commit();
    BOOST_TEST(r.has_unread_bytes());
    read_ok(r, 50, 1);
    BOOST_TEST(!r.has_unread_bytes());
}

BOOST_AUTO_TEST_CASE(engines_continue_at_the_oieb_positions)
{
    test_segment seg;
    seg.set(zp::oieb_field::payload_write_pos, 500);
    seg.set(zp::oieb_field::payload_read_pos, 500);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    BOOST_TEST(w.write_pos() == 500U);
    BOOST_TEST(r.read_pos() == 500U);
    write_ok(w, 10);
    BOOST_TEST(zp::load_header(seg.ring() + 500).payload_size == 10U);
    read_ok(r, 10, 1);
    BOOST_TEST(seg.read_pos() == 526U);
}

BOOST_AUTO_TEST_CASE(many_frames_across_many_wraps)
{
    // CONFORMANCE 1.5, 1.6, 4.5, 4.6, 5.3: mixed sizes, tens of thousands of frames,
    // every kind of wrap; free bytes return to the ring size at the end.
    constexpr std::uint64_t ring_size = 1024;
    constexpr std::uint64_t frame_count = 30000;
    test_segment seg(ring_size);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    lcg rng(12345);
    std::deque<std::uint64_t> unread;     // sizes of committed, unread frames
    std::deque<zp::delivered_frame> held; // read, not yet released
    std::uint64_t next_to_read = 1;
    std::uint64_t markers = 0;
    std::uint64_t short_tails = 0;
    std::uint64_t exact_ends = 0;

    const auto largest = zp::largest_frame_always_fits(ring_size);
    std::uint64_t written = 0;
    while (next_to_read <= frame_count) {
        // The writer writes until the ring is full (or it is done).
        while (written < frame_count) {
            // Mostly random sizes; sometimes exactly the rest of the ring, or
            // just too much for it, to provoke exact ends and short tails.
            std::uint64_t n = 1 + rng(largest);
            const std::uint64_t to_end = ring_size - w.write_pos();
            const auto pick = rng(8);
            if (pick == 0 && to_end > 16 && to_end - 16 <= largest) {
                n = to_end - 16;
            } else if (pick == 1 && to_end > 16 + 8 && to_end - 16 - 8 <= largest) {
                n = to_end - 16 - 1 - rng(8); // leaves 1..8 bytes
            }
            zp::write_placement p;
            BOOST_TEST_REQUIRE(!zp::place_frame(ring_size, w.write_pos(), n, p));
            const auto ec = write(w, n);
            if (ec == errc::buffer_full) {
                break;
            }
            BOOST_TEST_REQUIRE(!ec, ec.message());
            markers += p.writes_marker ? 1 : 0;
            short_tails += p.wraps && !p.writes_marker && p.wasted_tail > 0 ? 1 : 0;
            exact_ends += w.write_pos() == ring_size ? 1 : 0;
            unread.push_back(n);
            ++written;
        }
        // The reader reads some of what is there, holds some across wraps, and
        // releases in any order.
        const auto to_read = unread.empty() ? 0 : 1 + rng(unread.size());
        for (std::uint64_t i = 0; i < to_read; ++i) {
            held.push_back(read_ok(r, unread.front(), next_to_read++));
            unread.pop_front();
        }
        const auto to_release = held.size() - std::min<std::uint64_t>(held.size(), rng(3));
        for (std::uint64_t i = 0; i < to_release; ++i) {
            const auto at = held.begin() + static_cast<std::ptrdiff_t>(rng(held.size()));
            // Still intact: the writer never wrote over a held frame.
            BOOST_TEST_REQUIRE(patterns::verify_frame({at->data, at->size}, at->sequence),
                               "held frame " << at->sequence << " was overwritten");
            r.release_frame(*at);
            held.erase(at);
        }
        BOOST_TEST_REQUIRE(seg.free_bytes() <= ring_size);
    }
    for (const auto& f : held) {
        r.release_frame(f);
    }
    BOOST_TEST(seg.free_bytes() == ring_size);
    BOOST_TEST(seg.written() == frame_count + markers);
    BOOST_TEST(seg.read_count() == seg.written());
    // The run covered every kind of wrap.
    BOOST_TEST(markers > 100U);
    BOOST_TEST(short_tails > 10U);
    BOOST_TEST(exact_ends > 10U);
}

BOOST_AUTO_TEST_CASE(releases_out_of_order_return_space_in_ring_order)
{
    // CONFORMANCE 6.2: a reader holding several frames releases them in any
    // order; space returns once every frame in front of it is released.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    for (int i = 0; i < 5; ++i) {
        write_ok(w, 100);
    }
    std::vector<zp::delivered_frame> frames;
    for (std::uint64_t s = 1; s <= 5; ++s) {
        frames.push_back(read_ok(r, 100, s));
    }
    BOOST_TEST(r.in_flight() == 5U);
    BOOST_TEST(seg.free_bytes() == 1024U - 5 * 116U);
    struct step {
        std::size_t index;
        std::uint64_t bytes;  // returned by this release
        std::uint64_t frames; // frames whose space returns with it
    };
    const step steps[] = {{3, 0, 0}, {1, 0, 0}, {4, 0, 0}, {0, 2 * 116, 2}, {2, 3 * 116, 3}};
    std::uint64_t expected_free = 1024 - 5 * 116;
    for (const auto& st : steps) {
        const auto ret = r.release_frame(frames[st.index]);
        BOOST_TEST(ret.bytes == st.bytes, "release of frame " << st.index + 1);
        BOOST_TEST(ret.frames == st.frames, "release of frame " << st.index + 1);
        expected_free += st.bytes;
        BOOST_TEST(seg.free_bytes() == expected_free, "after frame " << st.index + 1);
    }
    BOOST_TEST(seg.free_bytes() == 1024U);
    BOOST_TEST(r.in_flight() == 0U);

    // The whole ring is usable again: a frame that needs every free byte
    // (its 444-byte tail plus itself) fits.
    BOOST_TEST(w.write_pos() == 580U);
    write_ok(w, 564);
    BOOST_TEST(seg.free_bytes() == 0U);
    const auto last = read_ok(r, 564, 6);
    BOOST_TEST(seg.free_bytes() == 444U); // nothing held in front of the tail
    BOOST_TEST(r.release_frame(last).bytes == 580U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(release_by_ticket_and_twice)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 10);
    write_ok(w, 20);
    const auto f1 = read_ok(r, 10, 1);
    const auto f2 = read_ok(r, 20, 2);
    BOOST_TEST(f1.ticket != f2.ticket);
    BOOST_TEST(r.release_frame(f2.ticket).bytes == 0U);
    const auto ret = r.release_frame(f1.ticket);
    BOOST_TEST(ret.bytes == 26U + 36U);
    BOOST_TEST(ret.frames == 2U);
    // A second release of the same frame gives nothing back.
    BOOST_TEST(r.release_frame(f1).bytes == 0U);
    BOOST_TEST(r.release_frame(f2).bytes == 0U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(a_held_frame_survives_a_wrap_behind_it)
{
    // frame.hpp: a frame's bytes stay unchanged until it is released. Frame 2
    // lies just before a wrap; the reader holds it and reads on past the wrap.
    // The wasted tail behind frame 2 must not become writable before frame 2
    // is released: the writer would reach frame 2 before it reaches the tail.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 884); // [0, 900)
    r.release_frame(read_ok(r, 884, 1));
    write_ok(w, 84); // [900, 1000), 24 bytes left
    const auto held = read_ok(r, 84, 2);
    write_ok(w, 184); // marker at 1000, frame at [0, 200)
    const auto f3 = read_ok(r, 184, 3);
    // In ring order, released: nothing yet. Whatever the writer may write now
    // must stay out of [900, 1000).
    std::span<std::byte> data;
    const auto largest = zp::largest_frame_from(1024, w.write_pos());
    for (std::uint64_t n = largest; n > 0; --n) {
        if (!w.try_reserve(n, data)) {
            break;
        }
    }
    if (w.has_reservation()) {
        std::fill(data.begin(), data.end(), std::byte{0xEE});
        w.commit();
    }
    BOOST_TEST(patterns::verify_frame({held.data, held.size}, 2),
               "held frame 2 overwritten: the writer got " << data.size() << " bytes at "
                                                           << (data.data() - seg.ring()));
    r.release_frame(held);
    r.release_frame(f3);
}

BOOST_AUTO_TEST_CASE(a_held_frame_survives_the_release_of_later_frames)
{
    // frame.hpp: frames may be released in any order, and a held frame's bytes
    // stay unchanged. Four frames fill a 256-byte ring; the reader holds the
    // first and releases the other three.
    test_segment seg(256);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    for (int i = 0; i < 4; ++i) {
        write_ok(w, 48); // 64 bytes each
    }
    std::vector<zp::delivered_frame> frames;
    for (std::uint64_t s = 1; s <= 4; ++s) {
        frames.push_back(read_ok(r, 48, s));
    }
    for (std::size_t i = 1; i < 4; ++i) {
        r.release_frame(frames[i]);
    }
    // The only free bytes in ring order start after frame 1, which is held,
    // so from write_pos 256 (→ 0) nothing may be written over frame 1.
    std::span<std::byte> data;
    if (!w.try_reserve(48, data)) {
        std::fill(data.begin(), data.end(), std::byte{0xEE});
        w.commit();
    }
    BOOST_TEST(patterns::verify_frame({frames[0].data, frames[0].size}, 1),
               "held frame 1 overwritten");
    r.release_frame(frames[0]);
}

BOOST_AUTO_TEST_CASE(buffer_full_changes_nothing)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 484); // 500 bytes
    write_ok(w, 484); // 1000 bytes; 24 left
    const auto before = seg.copy();
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(9, data) == errc::buffer_full); // wraps: needs 24 + 25
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(w.next_sequence() == 3U);
    BOOST_TEST(w.write_pos() == 1000U);
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");

    // 8 bytes fit in place.
    write_ok(w, 8);
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(w.write_pos() == 1024U);
    const auto f1 = read_ok(r, 484, 1);
    read_ok(r, 484, 2);
    read_ok(r, 8, 3);
    r.release_frame(f1);
}

BOOST_AUTO_TEST_CASE(buffer_full_on_a_wrap_writes_no_marker)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 884); // 0..900
    const auto f1 = read_ok(r, 884, 1);
    r.release_frame(f1); // free 1024, write_pos 900
    write_ok(w, 84);     // 900..1000
    // 200 bytes wrap: the 24-byte tail plus 216 = 240 needed. Pretend the
    // reader holds most of the ring: enough free bytes for the frame alone,
    // not for the tail as well.
    seg.set(zp::oieb_field::payload_free_bytes, 230); // >= 216, < 240
    const auto before = seg.copy();
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(200, data) == errc::buffer_full);
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");
    seg.set(zp::oieb_field::payload_free_bytes, 240);
    write_ok(w, 200);
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(seg.written() == 4U); // 3 frames + 1 marker
    BOOST_TEST(zp::load_header(seg.ring() + 1000).payload_size == 0U);
}

BOOST_AUTO_TEST_CASE(frames_that_can_never_fit_are_refused_at_once)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(0, data) == errc::invalid_frame_size);
    BOOST_TEST(w.try_reserve(1024 - 15, data) == errc::frame_too_large);
    BOOST_TEST(w.try_reserve(std::numeric_limits<std::uint64_t>::max(), data) ==
               errc::frame_too_large);
    BOOST_TEST(!w.has_reservation());

    // From position 100 a 1000-byte frame needs 924 + 1016 bytes: never.
    write_ok(w, 84);
    const auto before = seg.copy();
    BOOST_TEST(w.try_reserve(1000, data) == errc::frame_too_large);
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");
    BOOST_TEST(w.next_sequence() == 2U);
    // The largest frame that fits from here is accepted.
    BOOST_TEST(zp::largest_frame_from(1024, 100) == 908U);
    BOOST_TEST(!w.try_reserve(908, data));
}

BOOST_AUTO_TEST_CASE(a_second_reservation_is_an_invalid_state)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(10, data));
    std::span<std::byte> other;
    BOOST_TEST(w.try_reserve(10, other) == errc::invalid_state);
    BOOST_TEST(w.has_reservation());
    patterns::fill_frame(data, 1);
    BOOST_TEST(w.commit() == 1U);
    BOOST_TEST(seg.write_pos() == 26U);
}

BOOST_AUTO_TEST_CASE(abandon_publishes_nothing)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(10, data));
    w.abandon();
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(w.next_sequence() == 1U);
    BOOST_TEST(seg.write_pos() == 0U);
    BOOST_TEST(seg.written() == 0U);
    BOOST_TEST(seg.free_bytes() == 1024U);
    write_ok(w, 20);
    read_ok(r, 20, 1);
}

BOOST_AUTO_TEST_CASE(free_bytes_beyond_the_ring_are_corruption)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    seg.set(zp::oieb_field::payload_free_bytes, 1025);
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(10, data) == errc::corrupted_buffer);
    BOOST_TEST(!w.has_reservation());
}

BOOST_AUTO_TEST_CASE(c5_3_wrap_with_a_marker_keeps_the_accounting_exact)
{
    // CONFORMANCE 4.5, 5.3: the wrap_marker vector's first wrap.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4000);
    r.release_frame(read_ok(r, 4000, 1));
    write_ok(w, 100);
    BOOST_TEST(w.write_pos() == 116U);
    BOOST_TEST(seg.written() == 3U); // frame, marker, frame
    BOOST_TEST(seg.free_bytes() == 4096U - 80U - 116U);
    const auto marker = zp::load_header(seg.ring() + 4016);
    BOOST_TEST(marker.payload_size == 0U);
    BOOST_TEST(marker.sequence == 0U);

    const auto f = read_ok(r, 100, 2);
    BOOST_TEST(seg.read_count() == 3U);           // the marker counts on both sides
    BOOST_TEST(seg.free_bytes() == 4096U - 116U); // the tail came back at once
    r.release_frame(f);
    BOOST_TEST(seg.free_bytes() == 4096U);
    BOOST_TEST(seg.read_pos() == seg.write_pos());
}

BOOST_AUTO_TEST_CASE(c5_3_wrap_with_a_short_tail_keeps_the_accounting_exact)
{
    // CONFORMANCE 4.5: the tail_lt16 vector, 8 bytes left and no marker.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4072);
    r.release_frame(read_ok(r, 4072, 1));
    BOOST_TEST(seg.read_pos() == 4088U);
    write_ok(w, 100);
    BOOST_TEST(seg.written() == 2U); // no marker, and the wrap is not counted
    BOOST_TEST(seg.free_bytes() == 4096U - 8U - 116U);
    BOOST_TEST(w.write_pos() == 116U);

    const auto f = read_ok(r, 100, 2);
    BOOST_TEST(seg.read_count() == 2U); // an implicit wrap is not counted
    BOOST_TEST(seg.free_bytes() == 4096U - 116U);
    r.release_frame(f);
    BOOST_TEST(seg.free_bytes() == 4096U);
}

// A reader with a return batch gives released bytes (and their sem-r tokens)
// back while it is behind in one add, when it catches up or the batch fills;
// what it holds back counts as its own, so it still finds every frame.
BOOST_AUTO_TEST_CASE(a_return_batch_gives_bytes_back_when_caught_up_or_full)
{
    test_segment seg; // 1024-byte ring
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    r.set_return_batch(1000);
    for (int i = 0; i < 5; ++i)
        write_ok(w, 40); // 56 bytes each: the writer keeps more than half the ring
    BOOST_TEST(seg.free_bytes() == 1024U - 5 * 56U);
    std::vector<zp::delivered_frame> frames;
    for (std::uint64_t s = 1; s <= 5; ++s) {
        BOOST_TEST_REQUIRE(r.has_unread_bytes());
        frames.push_back(read_ok(r, 40, s));
        if (s < 5) {
            // Behind: the next frame is known, the release waits for a later one.
            const auto ret = r.release_frame(frames.back());
            BOOST_TEST(ret.bytes == 0U);
            BOOST_TEST(ret.frames == 0U);
            BOOST_TEST(seg.free_bytes() == 1024U - 5 * 56U);
        }
    }
    BOOST_TEST(!r.has_unread_bytes()); // held-back bytes are not unread frames
    BOOST_TEST(r.holds_back());
    // Caught up: the last release gives back all five, with five tokens.
    const auto last = r.release_frame(frames.back());
    BOOST_TEST(last.bytes == 5 * 56U);
    BOOST_TEST(last.frames == 5U);
    BOOST_TEST(!r.holds_back());
    BOOST_TEST(seg.free_bytes() == 1024U);

    // A full batch goes back even while the reader is behind.
    r.set_return_batch(2 * 56);
    for (int i = 0; i < 5; ++i)
        write_ok(w, 40);
    std::vector<std::uint64_t> given;
    for (std::uint64_t s = 6; s <= 10; ++s) {
        BOOST_TEST_REQUIRE(r.has_unread_bytes());
        given.push_back(r.release_frame(read_ok(r, 40, s)).bytes);
    }
    BOOST_TEST((given == std::vector<std::uint64_t>{0, 112, 0, 112, 56}));
    BOOST_TEST(seg.free_bytes() == 1024U);

    // A writer that had less than half the ring free at the last look gets
    // every release at once (it may be waiting for room: CONFORMANCE 1.3).
    for (int i = 0; i < 5; ++i)
        write_ok(w, 100); // 580 bytes taken
    for (std::uint64_t s = 11; s <= 15; ++s) {
        BOOST_TEST_REQUIRE(r.has_unread_bytes());
        BOOST_TEST(r.release_frame(read_ok(r, 100, s)).bytes == 116U);
    }
    BOOST_TEST(seg.free_bytes() == 1024U);
}

// A frame held out of order keeps the batch behind it, as without a batch.
BOOST_AUTO_TEST_CASE(a_return_batch_waits_behind_a_held_frame)
{
    test_segment seg;
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    r.set_return_batch(1000);
    for (int i = 0; i < 3; ++i)
        write_ok(w, 100);
    const auto first = read_ok(r, 100, 1);
    const auto second = read_ok(r, 100, 2);
    const auto third = read_ok(r, 100, 3);
    BOOST_TEST(r.release_frame(second).bytes == 0U); // behind the held first one
    BOOST_TEST(r.release_frame(third).bytes == 0U);
    const auto ret = r.release_frame(first); // caught up: everything goes back
    BOOST_TEST(ret.bytes == 3 * 116U);
    BOOST_TEST(ret.frames == 3U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_SUITE_END()
