// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/writer.hpp: writing frames and metadata, in one process with a
// reader beside it (the multi-process behaviour is in test_multiprocess.cpp).

#define BOOST_TEST_MODULE writer
#include <boost/test/unit_test.hpp>

#include "support/raw_segment.hpp"

#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/protocol/ring.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace std::chrono_literals;
using zerobuffer::errc;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

namespace {

std::vector<std::byte> pattern(std::size_t n, std::uint64_t seq)
{
    return test_data_patterns::frame_data(n, seq);
}

bool resource_exists(const std::string& name)
{
    return std::filesystem::exists("/dev/shm/" + name) ||
           std::filesystem::exists("/dev/shm/sem.sem-w-" + name) ||
           std::filesystem::exists("/dev/shm/sem.sem-r-" + name) ||
           std::filesystem::exists("/tmp/zerobuffer/" + name + ".lock");
}

} // namespace

BOOST_AUTO_TEST_SUITE(writer)

BOOST_AUTO_TEST_CASE(c1_4_zero_copy_write_is_identical_and_in_place)
{
    const auto name = unique_name("zero_copy");
    zerobuffer::reader r(name, {1024, 4096});
    zerobuffer::writer w(name);
    const auto data = pattern(300, 1);
    w.write_frame(data);

    auto area = w.get_frame_buffer(300);
    BOOST_TEST(area.size() == 300u);
    BOOST_TEST(zerobuffer::test::inside_shm_mapping(area.data(), area.size(), name));
    test_data_patterns::fill_frame(area, 2);
    w.commit_frame();

    auto f1 = r.read_frame(1s);
    auto f2 = r.read_frame(1s);
    BOOST_REQUIRE(f1.valid() && f2.valid());
    BOOST_TEST(f1.sequence() == 1u);
    BOOST_TEST(f2.sequence() == 2u);
    BOOST_TEST(test_data_patterns::verify_frame(f1.bytes(), 1));
    BOOST_TEST(test_data_patterns::verify_frame(f2.bytes(), 2));
    BOOST_TEST(zerobuffer::test::inside_shm_mapping(f2.data(), f2.size(), name));
    // Same layout as a copying write: the second frame follows the first.
    BOOST_TEST(f2.data() - f1.data() == 316);
    BOOST_TEST(w.frames_written() == 2u);
    BOOST_TEST(w.bytes_written() == 600u);
}

BOOST_AUTO_TEST_CASE(c8_4_both_write_paths_wrap_rather_than_leave_a_short_tail)
{
    // CONFORMANCE 8.4 through the writer: a frame that would end 1..15 bytes
    // before the end of the ring and fits before the write position goes to
    // 0 behind a wrap marker, by get_frame_buffer and by write_frame alike.
    namespace zp = zerobuffer::protocol;
    const auto name = unique_name("short_tail");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    const zerobuffer::test::raw_segment seg(name);
    const std::byte* ring = seg.ring(0);
    w.write_frame(pattern(2984, 1)); // [0, 3000)
    auto f1 = r.read_frame(1s);
    const std::byte* at_0 = f1.data(); // in the reader's mapping
    f1.release();

    auto area = w.get_frame_buffer(1074); // 1090 in all: 6 bytes would be left
    BOOST_TEST(zp::load_header(ring).payload_size == 1074U);
    BOOST_TEST(zp::load_header(ring + 3000).payload_size == 0U); // the marker
    test_data_patterns::fill_frame(area, 2);
    w.commit_frame();
    auto f2 = r.read_frame(1s);
    BOOST_TEST(f2.sequence() == 2U);
    BOOST_TEST(f2.data() == at_0);
    BOOST_TEST(test_data_patterns::verify_frame(f2.bytes(), 2));
    f2.release();

    w.write_frame(pattern(1894, 3)); // [1090, 3000)
    r.read_frame(1s).release();
    w.write_frame(pattern(1070, 4)); // 1086 in all: 10 bytes would be left
    auto f4 = r.read_frame(1s);
    BOOST_TEST(f4.sequence() == 4U);
    BOOST_TEST(f4.data() == at_0);
    BOOST_TEST(test_data_patterns::verify_frame(f4.bytes(), 4));
    f4.release();
    // 4 frames and 2 markers.
    BOOST_TEST(seg.oieb().load(zp::oieb_field::payload_written_count, std::memory_order_acquire) ==
               6U);
}

BOOST_AUTO_TEST_CASE(zero_copy_protocol_misuse_is_invalid_state)
{
    const auto name = unique_name("zc_misuse");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    BOOST_CHECK_THROW(w.commit_frame(), zerobuffer::invalid_state);
    auto area = w.get_frame_buffer(10);
    BOOST_TEST(area.size() == 10u);
    boost::system::error_code ec;
    w.get_frame_buffer(10, ec);
    BOOST_TEST(ec == errc::invalid_state);
    w.write_frame(pattern(5, 1), ec);
    BOOST_TEST(ec == errc::invalid_state);
    test_data_patterns::fill_frame(area, 1);
    w.commit_frame();
    auto f = r.read_frame(1s);
    BOOST_TEST(f.size() == 10u);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 1));
}

BOOST_AUTO_TEST_CASE(abandoned_reservation_publishes_nothing_and_the_next_frame_takes_its_place)
{
    const auto name = unique_name("zc_abandon");
    // 256-byte ring: after a 216-byte frame the abandoned one wraps, so its
    // wrap marker must not be published either; the next, small frame then
    // fills the 40 bytes before the end.
    zerobuffer::reader r(name, {0, 256});
    zerobuffer::writer w(name);
    w.write_frame(pattern(200, 1));
    auto first = r.read_frame(1s);
    BOOST_TEST(first.sequence() == 1u);
    first.release();
    w.abandon_frame(); // nothing reserved: nothing happens
    auto area = w.get_frame_buffer(120);
    BOOST_TEST(area.size() == 120u);
    w.abandon_frame();
    BOOST_TEST(w.frames_written() == 1u);
    BOOST_TEST(!r.try_read_frame().valid());
    BOOST_CHECK_THROW(w.commit_frame(), zerobuffer::invalid_state);
    w.write_frame(pattern(24, 2)); // ends at the end of the ring: no wrap
    auto next = r.read_frame(1s);
    BOOST_TEST(next.sequence() == 2u);
    BOOST_TEST(test_data_patterns::verify_frame(next.bytes(), 2));
    BOOST_TEST(r.health().oieb.payload_written_count == 2u);
    BOOST_TEST(r.health().oieb.payload_write_pos == 256u);
}

BOOST_AUTO_TEST_CASE(c3_1_metadata_written_once)
{
    const auto name = unique_name("md_once");
    zerobuffer::reader r(name, {1024, 4096});
    BOOST_TEST(r.metadata().empty());
    zerobuffer::writer w(name);
    const auto md = test_data_patterns::metadata(100);
    w.set_metadata(md);
    BOOST_CHECK_THROW(w.set_metadata(md), zerobuffer::metadata_already_written);
    const auto got = r.metadata();
    BOOST_TEST(got.size() == 100u);
    BOOST_TEST(test_data_patterns::verify_metadata(got));

    // A later writer may not write it again either.
    w.close();
    zerobuffer::writer w2(name);
    boost::system::error_code ec;
    w2.set_metadata(md, ec);
    BOOST_TEST(ec == errc::metadata_already_written);
}

BOOST_AUTO_TEST_CASE(c3_2_metadata_too_large_leaves_buffer_usable)
{
    const auto name = unique_name("md_large");
    zerobuffer::reader r(name, {64, 4096});
    zerobuffer::writer w(name);
    BOOST_CHECK_THROW(w.set_metadata(test_data_patterns::metadata(57)),
                      zerobuffer::metadata_too_large);
    BOOST_TEST(r.metadata().empty());
    w.set_metadata(test_data_patterns::metadata(56)); // 8 + 56 == 64 fits exactly
    BOOST_TEST(r.metadata().size() == 56u);
    w.write_frame(pattern(10, 1));
    BOOST_TEST(r.read_frame(1s).size() == 10u);
}

BOOST_AUTO_TEST_CASE(c3_3_zero_sized_metadata_block_works_for_frames)
{
    const auto name = unique_name("md_zero");
    zerobuffer::reader r(name, {0, 4096});
    BOOST_TEST(r.metadata_size() == 0u);
    zerobuffer::writer w(name);
    BOOST_CHECK_THROW(w.set_metadata(test_data_patterns::metadata(1)),
                      zerobuffer::metadata_too_large);
    for (std::uint64_t s = 1; s <= 10; ++s) {
        w.write_frame(pattern(100, s));
        auto f = r.read_frame(1s);
        BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), s));
    }
}

BOOST_AUTO_TEST_CASE(c3_4_zero_size_and_never_fitting_frames_fail_at_once)
{
    const auto name = unique_name("frame_sizes");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name, {.write_timeout = std::chrono::hours(1)});
    BOOST_CHECK_THROW(w.write_frame(std::span<const std::byte>{}), zerobuffer::invalid_frame_size);
    BOOST_CHECK_THROW(w.get_frame_buffer(0), zerobuffer::invalid_frame_size);
    // With an hour's timeout, only an immediate failure lets this test finish.
    BOOST_CHECK_THROW(w.write_frame(pattern(4096, 1)), zerobuffer::frame_too_large);
    BOOST_CHECK_THROW(w.write_frame(pattern(1u << 20, 1)), zerobuffer::frame_too_large);
    // The largest frame that fits from position 0 fills the ring exactly.
    w.write_frame(pattern(4080, 1));
    auto f = r.read_frame(1s);
    BOOST_TEST(f.size() == 4080u);
    f.release();
    // From the ring's end (write_pos == 4096) the whole ring is free again.
    w.write_frame(pattern(4080, 2));
    BOOST_TEST(r.read_frame(1s).size() == 4080u);
    BOOST_TEST(w.max_frame_size() == 2032u);
}

BOOST_AUTO_TEST_CASE(frame_too_large_from_this_position_fails_at_once)
{
    const auto name = unique_name("frame_pos");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name, {.write_timeout = std::chrono::hours(1)});
    w.write_frame(pattern(1000, 1)); // write_pos 1016
    r.read_frame(1s).release();
    // From 1016: 3080 bytes to the end; a 3500-byte frame needs 3080 + 3516 > 4096.
    BOOST_CHECK_THROW(w.write_frame(pattern(3500, 2)), zerobuffer::frame_too_large);
    w.write_frame(pattern(1000, 2));
    BOOST_TEST(r.read_frame(1s).sequence() == 2u);
}

BOOST_AUTO_TEST_CASE(c3_5_invalid_names_and_configs_create_nothing)
{
    const std::string too_long(zerobuffer::max_name_length + 1, 'a');
    const std::vector<std::string> bad = {
        "", too_long, "a/b", "/lead", std::string("a\0b", 3), "\xff\xfe", "bad\x01", ".", ".."};
    for (const auto& n : bad) {
        BOOST_CHECK_THROW(zerobuffer::reader r(n, {}), zerobuffer::invalid_name);
        BOOST_CHECK_THROW(zerobuffer::writer w(n), zerobuffer::invalid_name);
    }
    BOOST_TEST(!zerobuffer::validate_name(std::string(zerobuffer::max_name_length, 'a')));
    BOOST_TEST(!zerobuffer::validate_name("caf\xc3\xa9"));

    const auto name = unique_name("bad_config");
    BOOST_CHECK_THROW(zerobuffer::reader r(name, {1024, 0}), zerobuffer::invalid_config);
    BOOST_CHECK_THROW(zerobuffer::reader(name, {1024, std::size_t{1} << 50}),
                      zerobuffer::invalid_config);
    BOOST_CHECK_THROW(zerobuffer::reader(name, {std::size_t(-1), 4096}),
                      zerobuffer::invalid_config);
    BOOST_CHECK_THROW(zerobuffer::reader r(name, {1024, 4096, 01777}), zerobuffer::invalid_config);
    BOOST_TEST(!resource_exists(name));
}

BOOST_AUTO_TEST_CASE(c3_6_no_reader)
{
    const auto name = unique_name("no_reader");
    BOOST_CHECK_THROW(zerobuffer::writer w(name), zerobuffer::no_reader);
    boost::system::error_code ec;
    try {
        zerobuffer::writer w(name);
    } catch (const zerobuffer::error& e) {
        ec = e.code();
    }
    BOOST_TEST(ec == errc::no_reader);
    BOOST_TEST(!resource_exists(name));
}

BOOST_AUTO_TEST_CASE(c3_7_wrong_oieb_size_or_major_version)
{
    const auto name = unique_name("oieb_version");
    zerobuffer::reader r(name, {1024, 4096});
    zerobuffer::test::raw_segment seg(name);
    seg.put_u32(0, 64);
    BOOST_CHECK_THROW(zerobuffer::writer w(name), zerobuffer::corrupted_buffer);
    seg.put_u32(0, 128);
    seg.data()[4] = std::byte{2};
    BOOST_CHECK_THROW(zerobuffer::writer w(name), zerobuffer::incompatible_version);
    seg.data()[4] = std::byte{1};
    seg.data()[5] = std::byte{7}; // another minor version is compatible
    zerobuffer::writer w(name);
    BOOST_TEST(w.is_reader_connected());
}

BOOST_AUTO_TEST_CASE(c5_1_corrupted_oieb_is_reported_to_a_connecting_writer)
{
    const auto name = unique_name("oieb_corrupt");
    zerobuffer::reader r(name, {1024, 4096});
    zerobuffer::test::raw_segment seg(name);
    using namespace zerobuffer::protocol;
    const auto check = [&](std::size_t offset, std::uint64_t bad) {
        std::uint64_t saved = 0;
        std::memcpy(&saved, seg.data() + offset, 8);
        seg.put_u64(offset, bad);
        BOOST_CHECK_THROW(zerobuffer::writer w(name), zerobuffer::corrupted_buffer);
        seg.put_u64(offset, saved);
    };
    check(oieb_offset::payload_size, 8192);
    check(oieb_offset::payload_size, 4000);
    check(oieb_offset::metadata_size, 1u << 30);
    check(oieb_offset::payload_write_pos, 4097);
    check(oieb_offset::payload_read_pos, ~std::uint64_t{0});
    check(oieb_offset::payload_free_bytes, 5000);
    check(oieb_offset::metadata_written_bytes, 2000);
    zerobuffer::writer w(name);
    w.write_frame(pattern(10, 1));
    BOOST_TEST(r.read_frame(1s).valid());
}

BOOST_AUTO_TEST_CASE(writer_after_close_is_invalid_state)
{
    const auto name = unique_name("closed_writer");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    w.close();
    BOOST_TEST(!w.is_open());
    BOOST_CHECK_THROW(w.write_frame(pattern(5, 1)), zerobuffer::invalid_state);
    zerobuffer::writer moved(std::move(w));
    BOOST_CHECK_THROW(moved.write_frame(pattern(5, 1)), zerobuffer::invalid_state);
}

BOOST_AUTO_TEST_CASE(writes_from_several_threads_are_serialized)
{
    const auto name = unique_name("mt_writer");
    zerobuffer::reader r(name, {0, 64 * 1024});
    zerobuffer::writer w(name);
    constexpr int per_thread = 5000;
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&w, t] {
            std::vector<std::byte> data(8, std::byte(t));
            for (int i = 0; i < per_thread; ++i) {
                w.write_frame(data);
            }
        });
    }
    int counts[2] = {0, 0};
    for (std::uint64_t s = 1; s <= 2 * per_thread; ++s) {
        auto f = r.read_frame(5s);
        BOOST_REQUIRE(f.valid());
        BOOST_REQUIRE(f.sequence() == s);
        ++counts[std::to_integer<int>(f.data()[0])];
    }
    for (auto& t : threads) {
        t.join();
    }
    BOOST_TEST(counts[0] == per_thread);
    BOOST_TEST(counts[1] == per_thread);
}

BOOST_AUTO_TEST_CASE(cleanup_removes_writer_beacons_nobody_holds)
{
    const auto name = unique_name("beacons");
    zerobuffer::reader r(name, {0, 4096});
    zerobuffer::writer w(name);
    const std::string dir = "/tmp/zerobuffer/writer/";
    const std::string live = dir + name + "." + std::to_string(::getpid()) + ".lock";
    const std::string orphan = dir + name + "_gone.4194304.lock"; // no such pid
    std::ofstream(orphan).put('\n');
    BOOST_REQUIRE(std::filesystem::exists(orphan));
    BOOST_REQUIRE(std::filesystem::exists(live));
    const std::string dead_here = dir + name + ".4194304.lock"; // a dead writer's
    std::ofstream(dead_here).put('\n');
    zerobuffer::cleanup_stale_resources();
    BOOST_TEST(!std::filesystem::exists(orphan));
    BOOST_TEST(std::filesystem::exists(live)); // held by our writer
    // Kept while the buffer exists: its reader tells a dead writer by it.
    BOOST_TEST(std::filesystem::exists(dead_here));
    w.close();
    BOOST_TEST(!std::filesystem::exists(live)); // a closing writer removes its own
    r.close();
    BOOST_TEST(!std::filesystem::exists(dead_here)); // and the reader the rest
}

BOOST_AUTO_TEST_SUITE_END()
