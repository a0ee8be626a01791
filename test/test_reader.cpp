// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/reader.hpp and frame.hpp: reading, releasing, ring edge cases,
// corruption and sequence checks, in one process (writer on a thread or inline).

#define BOOST_TEST_MODULE reader
#include <boost/test/unit_test.hpp>

#include "support/raw_segment.hpp"

#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using zerobuffer::errc;
using zerobuffer::protocol::oieb_field;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

namespace {

std::vector<std::byte> pattern(std::size_t n, std::uint64_t seq)
{
    return test_data_patterns::frame_data(n, seq);
}

std::uint64_t field(const zerobuffer::reader& r, oieb_field f)
{
    const auto s = r.health().oieb;
    switch (f) {
    case oieb_field::payload_free_bytes: return s.payload_free_bytes;
    case oieb_field::payload_write_pos: return s.payload_write_pos;
    case oieb_field::payload_read_pos: return s.payload_read_pos;
    case oieb_field::payload_written_count: return s.payload_written_count;
    case oieb_field::payload_read_count: return s.payload_read_count;
    default: return 0;
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(reader)

BOOST_AUTO_TEST_CASE(read_times_out_with_an_invalid_frame)
{
    const auto name = unique_name("timeout");
    zerobuffer::reader r(name, {0, 4096});
    auto f = r.read_frame(50ms);
    BOOST_TEST(!f.valid());
    BOOST_TEST(f.size() == 0u);
    boost::system::error_code ec;
    BOOST_TEST(!r.try_read_frame(ec).valid());
    BOOST_TEST(!ec);
    BOOST_TEST(!r.is_writer_connected());
}

// The reader holds released space back while it knows more frames are
// committed (batched returns); a read that finds nothing gives it back first.
// Here the writer needs exactly that space for the frame the reader waits
// for, while the reader holds the frame before it: without the give-back,
// both would wait (until the write's and the read's timeouts).
BOOST_AUTO_TEST_CASE(a_read_that_finds_nothing_gives_held_back_space_to_the_writer)
{
    const auto name = unique_name("held-back");
    zerobuffer::reader r(name, {0, 4096}); // batches of up to 256 bytes
    zerobuffer::writer w(name);
    // A and B (116 bytes each): the ring is nearly empty, B is known when A
    // is released, so A's space is held back. B is kept.
    w.write_frame(pattern(100, 1));
    w.write_frame(pattern(100, 2));
    r.read_frame(1s).release();
    zerobuffer::frame b = r.read_frame(1s);
    BOOST_REQUIRE(b.valid());
    // C (3840 bytes) leaves 24 before the end; the reader keeps it too.
    w.write_frame(pattern(3824, 3));
    zerobuffer::frame c = r.read_frame(1s);
    BOOST_REQUIRE(c.valid());
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 24u); // A's 116 held back

    // D (100 bytes) wraps to 0, into A's space: it needs 24 + 100 bytes.
    std::atomic<bool> wrote{false};
    std::thread writer_thread([&] {
        boost::system::error_code ec;
        w.write_frame(pattern(84, 4), ec);
        wrote = !ec;
    });
    // Nothing to read: the read gives A's space back, the writer commits D,
    // and the read gets it.
    zerobuffer::frame next = r.read_frame(5s);
    writer_thread.join();
    BOOST_TEST(wrote.load());
    BOOST_REQUIRE(next.valid());
    BOOST_TEST(next.sequence() == 4u);
    BOOST_TEST(test_data_patterns::verify_frame(next.bytes(), 4));
    BOOST_TEST(b.valid()); // still held
    BOOST_TEST(c.valid());
}

// CONFORMANCE 1.3 with batched returns: a writer blocked on a full ring gets
// the space of the one frame the reader releases, though the reader knows more
// frames follow and reads nothing more.
BOOST_AUTO_TEST_CASE(c1_3_a_release_frees_a_writer_blocked_on_a_full_ring)
{
    const auto name = unique_name("full-release");
    zerobuffer::reader r(name, {0, 4096}); // batches of up to 256 bytes
    zerobuffer::writer w(name);
    const std::vector<std::byte> small(64); // 80 bytes a frame
    while (w.try_write_frame(small)) {
    }
    std::atomic<bool> wrote{false};
    std::thread writer_thread([&] {
        boost::system::error_code ec;
        w.write_frame(small, ec);
        wrote = !ec;
    });
    zerobuffer::frame first = r.read_frame(1s);
    BOOST_REQUIRE(first.valid());
    std::this_thread::sleep_for(50ms); // the writer is waiting for room
    BOOST_TEST(!wrote.load());
    first.release();
    writer_thread.join(); // within the write timeout (5 s) when the space came back
    BOOST_TEST(wrote.load());
}

BOOST_AUTO_TEST_CASE(sizes_are_rounded_up_to_64)
{
    const auto name = unique_name("rounding");
    zerobuffer::reader r(name, {100, 1000});
    BOOST_TEST(r.metadata_size() == 128u);
    BOOST_TEST(r.payload_size() == 1024u);
    BOOST_TEST(r.health().oieb.payload_free_bytes == 1024u);
}

BOOST_AUTO_TEST_CASE(c1_5_mixed_sizes_interleaved)
{
    const auto name = unique_name("mixed");
    zerobuffer::reader r(name, {0, 8192});
    zerobuffer::writer w(name);
    const std::uint64_t largest = w.max_frame_size();
    std::vector<std::size_t> sizes;
    for (std::size_t n :
         {std::size_t{1}, std::size_t{2}, std::size_t{15}, std::size_t{16}, std::size_t{17},
          std::size_t{63}, std::size_t{64}, std::size_t{1000}, static_cast<std::size_t>(largest)}) {
        sizes.push_back(n);
        sizes.push_back(1);
    }
    std::uint64_t seq = 0;
    for (int round = 0; round < 20; ++round) {
        for (std::size_t n : sizes) {
            ++seq;
            w.write_frame(pattern(n, seq));
            auto f = r.read_frame(1s);
            BOOST_REQUIRE(f.valid());
            BOOST_REQUIRE(f.sequence() == seq);
            BOOST_REQUIRE(f.size() == n);
            BOOST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), seq));
        }
    }
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 8192u);
}

BOOST_AUTO_TEST_CASE(c4_1_alternating_large_and_small_with_a_writer_thread)
{
    const auto name = unique_name("alternating");
    zerobuffer::reader r(name, {0, 64 * 1024});
    constexpr std::uint64_t frames = 4000;
    std::thread writer([&] {
        zerobuffer::writer w(name);
        for (std::uint64_t s = 1; s <= frames; ++s) {
            w.write_frame(pattern(s % 2 ? 30000 : 3, s));
        }
    });
    for (std::uint64_t s = 1; s <= frames; ++s) {
        auto f = r.read_frame(5s);
        BOOST_REQUIRE(f.valid());
        BOOST_REQUIRE(f.size() == (s % 2 ? 30000u : 3u));
        BOOST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), s));
    }
    writer.join();
}

BOOST_AUTO_TEST_CASE(c4_2_burst_before_the_reader_wakes)
{
    const auto name = unique_name("burst");
    zerobuffer::reader r(name, {0, 64 * 1024});
    zerobuffer::writer w(name);
    for (std::uint64_t s = 1; s <= 200; ++s) {
        w.write_frame(pattern(100, s));
    }
    for (std::uint64_t s = 1; s <= 200; ++s) {
        auto f = r.read_frame(1s);
        BOOST_REQUIRE(f.sequence() == s);
    }
    boost::system::error_code ec;
    BOOST_TEST(!r.try_read_frame(ec).valid());
}

BOOST_AUTO_TEST_CASE(c4_3_minimum_payload_holds_a_one_byte_frame)
{
    const auto name = unique_name("minimum");
    zerobuffer::reader r(name, {0, 1});
    BOOST_TEST(r.payload_size() == 64u);
    zerobuffer::writer w(name, {.write_timeout = 2s});
    for (std::uint64_t s = 1; s <= 100; ++s) {
        w.write_frame(pattern(1, s));
        auto f = r.read_frame(1s);
        BOOST_REQUIRE(f.size() == 1u);
        BOOST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), s));
    }
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 64u);
}

BOOST_AUTO_TEST_CASE(c4_4_exact_fit_to_the_ring_end)
{
    const auto name = unique_name("exact_fit");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    w.write_frame(pattern(1000, 1)); // 0..1016
    r.read_frame(1s).release();
    w.write_frame(pattern(4096 - 1016 - 16, 2));                  // ends exactly at 4096
    BOOST_TEST(field(r, oieb_field::payload_write_pos) == 4096u); // as the C++ reference
    auto f = r.read_frame(1s);
    BOOST_TEST(f.size() == 3064u);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 2));
    f.release();
    w.write_frame(pattern(50, 3)); // continues at 0, no wrap marker needed
    BOOST_TEST(field(r, oieb_field::payload_written_count) == 3u);
    BOOST_TEST(r.read_frame(1s).sequence() == 3u);
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 4096u);
}

BOOST_AUTO_TEST_CASE(c4_5_wrap_with_marker_and_with_short_tail)
{
    const auto name = unique_name("wraps");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    // Marker: frame of 4000 leaves 80 bytes; the next 100-byte frame wraps.
    w.write_frame(pattern(4000, 1));
    r.read_frame(1s).release();
    w.write_frame(pattern(100, 2));
    BOOST_TEST(field(r, oieb_field::payload_written_count) == 3u); // frame, marker, frame
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 4096u - 80u - 116u);
    auto f = r.read_frame(1s);
    BOOST_TEST(f.sequence() == 2u);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 2));
    f.release();
    BOOST_TEST(field(r, oieb_field::payload_read_count) == 3u);
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 4096u);

    // Short tail: from 116, a frame of 3956 ends at 4088, leaving 8 bytes.
    w.write_frame(pattern(3956, 3));
    r.read_frame(1s).release();
    w.write_frame(pattern(100, 4));
    BOOST_TEST(field(r, oieb_field::payload_written_count) == 5u); // no marker counted
    f = r.read_frame(1s);
    BOOST_TEST(f.sequence() == 4u);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 4));
    f.release();
    BOOST_TEST(field(r, oieb_field::payload_read_count) == 5u);
    BOOST_TEST(field(r, oieb_field::payload_free_bytes) == 4096u);
}

BOOST_AUTO_TEST_CASE(c4_6_rapid_cycles_without_counter_drift)
{
    const auto name = unique_name("rapid");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    std::vector<std::byte> data(37);
    std::uint64_t wraps = 0;
    for (std::uint64_t s = 1; s <= 100000; ++s) {
        test_data_patterns::fill_frame(data, s);
        w.write_frame(data);
        auto f = r.read_frame(1s);
        BOOST_REQUIRE(f.sequence() == s);
        BOOST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), s));
        if (field(r, oieb_field::payload_read_pos) == 53) {
            ++wraps;
        }
    }
    const auto s = r.health().oieb;
    BOOST_TEST(s.payload_written_count == s.payload_read_count);
    BOOST_TEST(s.payload_free_bytes == 4096u);
    BOOST_TEST(s.payload_write_pos == s.payload_read_pos);
    BOOST_TEST(wraps > 1000u);
    BOOST_TEST(r.frames_read() == 100000u);
    BOOST_TEST(r.bytes_read() == 3700000u);
}

// Each side keeps its own count as a local tally: a second writer continues
// the OIEB's counts, wrap markers included, instead of starting over.
BOOST_AUTO_TEST_CASE(c4_6_counts_continue_across_writer_sessions)
{
    const auto name = unique_name("counts_sessions");
    zerobuffer::reader r(name, {0, 1024});
    for (int session = 0; session < 3; ++session) {
        zerobuffer::writer w(name);
        for (std::uint64_t s = 1; s <= 7; ++s) {
            w.write_frame(pattern(300, s)); // wraps with a marker every third frame
            BOOST_REQUIRE(r.read_frame(1s).sequence() == s);
        }
        w.close();
        boost::system::error_code ec;
        BOOST_REQUIRE(!r.read_frame(1s, ec).valid());
        BOOST_REQUIRE(ec == zerobuffer::errc::writer_disconnected);
    }
    const auto s = r.health().oieb;
    BOOST_TEST(s.payload_written_count == s.payload_read_count);
    BOOST_TEST(s.payload_written_count > 21u); // 21 frames and their wrap markers
    BOOST_TEST(s.payload_free_bytes == 1024u);
}

BOOST_AUTO_TEST_CASE(c6_2_out_of_order_release_frees_exactly)
{
    const auto name = unique_name("ooo_release");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name, {.write_timeout = 2s});
    std::mt19937 rng(42);
    std::uint64_t seq = 0;
    for (int round = 0; round < 200; ++round) {
        std::vector<zerobuffer::frame> held;
        for (int i = 0; i < 5; ++i) {
            ++seq;
            w.write_frame(pattern(1 + rng() % 300, seq));
            held.push_back(r.read_frame(1s));
            BOOST_REQUIRE(held.back().sequence() == seq);
        }
        std::shuffle(held.begin(), held.end(), rng);
        for (auto& f : held) {
            BOOST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), f.sequence()));
            r.release_frame(f);
            BOOST_REQUIRE(!f.valid());
        }
        BOOST_REQUIRE(field(r, oieb_field::payload_free_bytes) == 4096u);
    }
}

BOOST_AUTO_TEST_CASE(c5_2_header_beyond_the_ring_is_corruption)
{
    const auto name = unique_name("bad_header");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    w.write_frame(pattern(100, 1));
    zerobuffer::test::raw_segment seg(name);
    seg.put_u64(128, 5000); // the header's payload_size
    BOOST_CHECK_THROW(r.read_frame(1s), zerobuffer::corrupted_buffer);
    // The report repeats; it never reads outside the ring.
    BOOST_CHECK_THROW(r.read_frame(1s), zerobuffer::corrupted_buffer);
    seg.put_u64(128, 4081); // one byte past the end
    BOOST_CHECK_THROW(r.read_frame(1s), zerobuffer::corrupted_buffer);
    seg.put_u64(128, 100);
    auto f = r.read_frame(1s);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 1));
}

BOOST_AUTO_TEST_CASE(c5_2_c6_1_sequence_gap_is_reported_then_resynchronized)
{
    const auto name = unique_name("seq_gap");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    w.write_frame(pattern(10, 1));
    w.write_frame(pattern(10, 2));
    zerobuffer::test::raw_segment seg(name);
    seg.put_u64(128 + 26 + 8, 7); // second header's sequence: 2 -> 7
    BOOST_TEST(r.read_frame(1s).sequence() == 1u);
    boost::system::error_code ec;
    auto f = r.read_frame(1s, ec);
    BOOST_TEST(ec == errc::sequence_error);
    BOOST_TEST(!f.valid());
    f = r.read_frame(1s, ec);
    BOOST_TEST(!ec);
    BOOST_TEST(f.sequence() == 7u);
}

BOOST_AUTO_TEST_CASE(c6_3_pattern_holds_under_stress)
{
    const auto name = unique_name("stress");
    zerobuffer::reader r(name, {0, 16 * 1024});
    constexpr std::uint64_t frames = 30000;
    std::thread writer([&] {
        zerobuffer::writer w(name);
        std::mt19937 rng(7);
        for (std::uint64_t s = 1; s <= frames; ++s) {
            const std::size_t n = 1 + rng() % 2000;
            auto area = w.get_frame_buffer(n);
            test_data_patterns::fill_frame(area, s);
            w.commit_frame();
        }
        w.close();
    });
    std::uint64_t seq = 0;
    try {
        for (;;) {
            auto f = r.read_frame(10s);
            BOOST_REQUIRE(f.valid());
            ++seq;
            BOOST_REQUIRE(f.sequence() == seq);
            BOOST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), seq));
        }
    } catch (const zerobuffer::writer_disconnected&) {
    }
    writer.join();
    BOOST_TEST(seq == frames);
}

BOOST_AUTO_TEST_CASE(concurrent_readers_get_distinct_frames)
{
    const auto name = unique_name("mt_reader");
    zerobuffer::reader r(name, {0, 64 * 1024});
    constexpr std::uint64_t frames = 20000;
    std::vector<std::vector<std::uint64_t>> seen(2);
    std::vector<std::thread> readers;
    for (int t = 0; t < 2; ++t) {
        readers.emplace_back([&, t] {
            try {
                for (;;) {
                    auto f = r.read_frame(10s);
                    if (!f.valid()) {
                        return;
                    }
                    if (test_data_patterns::verify_frame(f.bytes(), f.sequence())) {
                        seen[t].push_back(f.sequence());
                    }
                }
            } catch (const zerobuffer::writer_disconnected&) {
            }
        });
    }
    {
        zerobuffer::writer w(name);
        for (std::uint64_t s = 1; s <= frames; ++s) {
            w.write_frame(pattern(64, s));
        }
    }
    for (auto& t : readers) {
        t.join();
    }
    std::vector<std::uint64_t> all = seen[0];
    all.insert(all.end(), seen[1].begin(), seen[1].end());
    std::sort(all.begin(), all.end());
    BOOST_TEST(all.size() == frames);
    BOOST_TEST((std::adjacent_find(all.begin(), all.end()) == all.end()));
    BOOST_TEST(all.front() == 1u);
    BOOST_TEST(all.back() == frames);
}

BOOST_AUTO_TEST_CASE(frame_outlives_its_reader)
{
    const auto name = unique_name("outlive");
    zerobuffer::frame kept;
    {
        zerobuffer::reader r(name, {0, 4096});
        zerobuffer::writer w(name);
        w.write_frame(pattern(100, 1));
        kept = r.read_frame(1s);
    }
    BOOST_TEST(kept.valid());
    BOOST_TEST(test_data_patterns::verify_frame(kept.bytes(), 1));
    kept.release();
    BOOST_TEST(!kept.valid());
}

BOOST_AUTO_TEST_CASE(frames_keep_their_reader_until_the_last_is_released)
{
    // The frames, not an atomic count per frame, keep a destroyed reader's
    // mapping: the last release (from any thread) closes the buffer and
    // frees the reader (LeakSanitizer checks the latter).
    const auto name = unique_name("outlive_many");
    const auto segment_exists = [&] { return std::filesystem::exists("/dev/shm/" + name); };
    std::vector<zerobuffer::frame> kept;
    {
        zerobuffer::reader r(name, {0, 4096});
        zerobuffer::writer w(name);
        for (std::uint64_t seq = 1; seq <= 3; ++seq) {
            w.write_frame(pattern(100, seq));
            kept.push_back(r.read_frame(1s));
        }
        // A reader moved over this one lets it go as its destructor would.
        r = zerobuffer::reader(unique_name("outlive_other"), {0, 4096});
        BOOST_TEST(segment_exists());
    }
    BOOST_TEST(segment_exists());
    kept[1].release();
    std::thread([&] { kept[0].release(); }).join();
    BOOST_TEST(segment_exists());
    BOOST_TEST(test_data_patterns::verify_frame(kept[2].bytes(), 3));
    kept[2].release();
    BOOST_TEST(!segment_exists(), "the last release closes the destroyed reader's buffer");
}

BOOST_AUTO_TEST_CASE(frames_released_on_many_threads_as_the_reader_goes)
{
    // A release posts its token before its frame stops counting: the count
    // reaching 0 lets another thread destroy the reader, semaphores included
    // (ASan and TSan watch this test).
    for (int round = 0; round < 50; ++round) {
        const auto name = unique_name("release_race");
        std::optional<zerobuffer::reader> r(std::in_place, name,
                                            zerobuffer::buffer_config{0, 64 * 1024});
        std::vector<zerobuffer::frame> frames;
        {
            zerobuffer::writer w(name);
            for (std::uint64_t seq = 1; seq <= 4; ++seq) {
                w.write_frame(pattern(64, seq));
                frames.push_back(r->read_frame(1s));
            }
        }
        std::atomic<int> ready{0};
        const int parties = static_cast<int>(frames.size()) + 1;
        const auto start_together = [&] {
            ready.fetch_add(1);
            while (ready.load() < parties) {
            }
        };
        std::vector<std::thread> threads;
        for (auto& f : frames) {
            threads.emplace_back([&, frame = &f] {
                start_together();
                frame->release();
            });
        }
        start_together();
        r.reset();
        for (auto& t : threads) {
            t.join();
        }
        BOOST_TEST(!std::filesystem::exists("/dev/shm/" + name), "round " << round);
    }
}

BOOST_AUTO_TEST_CASE(health_states_follow_utilization)
{
    const auto name = unique_name("health");
    zerobuffer::reader r(name, {0, 6400});
    zerobuffer::writer w(name);
    BOOST_TEST(r.health().state == zerobuffer::health_state::healthy);
    w.write_frame(pattern(5000, 1)); // 5016 / 6400 = 78 %
    BOOST_TEST(r.health().state == zerobuffer::health_state::healthy);
    auto f1 = r.read_frame(1s);
    w.write_frame(pattern(200, 2)); // 5232 / 6400 = 81.75 %
    const auto h = r.health();
    BOOST_TEST(h.state == zerobuffer::health_state::degraded);
    BOOST_TEST(h.used_bytes == 5232u);
    BOOST_TEST(h.frames_in_flight == 1u);
    w.write_frame(pattern(900, 3)); // 6148 / 6400 = 96 %
    BOOST_TEST(r.health().state == zerobuffer::health_state::critical);
    BOOST_TEST(zerobuffer::to_string(r.health().state) == "critical");
}

BOOST_AUTO_TEST_CASE(writer_connection_is_visible)
{
    const auto name = unique_name("connected");
    zerobuffer::reader r(name, {0, 4096});
    BOOST_TEST(!r.is_writer_connected());
    zerobuffer::writer w(name);
    BOOST_TEST(r.is_writer_connected());
    BOOST_TEST(w.is_reader_connected());
    w.close();
    BOOST_TEST(!r.is_writer_connected());
    BOOST_CHECK_THROW(r.read_frame(1s), zerobuffer::writer_disconnected);
    // The reader then waits for the next writer, whose sequence starts at 1.
    BOOST_TEST(!r.read_frame(10ms).valid());
    BOOST_TEST(r.writer_sessions() == 0u); // the first writer sent nothing
    zerobuffer::writer w2(name);
    w2.write_frame(pattern(5, 1));
    BOOST_TEST(r.read_frame(1s).sequence() == 1u);
    BOOST_TEST(r.writer_sessions() == 1u);
}

BOOST_AUTO_TEST_CASE(replacement_writer_starts_a_new_session_without_an_error)
{
    const auto name = unique_name("replacement");
    zerobuffer::reader r(name, {0, 4096});
    {
        zerobuffer::writer w(name);
        for (std::uint64_t s = 1; s <= 3; ++s) {
            w.write_frame(pattern(10, s));
        }
    }
    // The next writer attaches before the reader noticed the first one left:
    // its committed frames come first, then sequence 1 opens a new session.
    zerobuffer::writer w2(name);
    w2.write_frame(pattern(10, 1));
    for (std::uint64_t s = 1; s <= 3; ++s) {
        BOOST_TEST(r.read_frame(1s).sequence() == s);
    }
    BOOST_TEST(r.writer_sessions() == 1u);
    auto f = r.read_frame(1s);
    BOOST_TEST(f.sequence() == 1u);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 1));
    BOOST_TEST(r.writer_sessions() == 2u);
}

BOOST_AUTO_TEST_CASE(close_is_idempotent_and_reads_after_close_fail)
{
    const auto name = unique_name("closed_reader");
    zerobuffer::reader r(name, {0, 4096});
    r.close();
    r.close();
    BOOST_TEST(!r.is_open());
    BOOST_CHECK_THROW(r.read_frame(10ms), zerobuffer::invalid_state);
    BOOST_CHECK_THROW(zerobuffer::writer w(name), zerobuffer::no_reader);
}

BOOST_AUTO_TEST_SUITE_END()
