// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// Errors of the ring as the asynchronous reader's error codes (CONFORMANCE
// 10.5): a sequence gap and a corrupted header, each delivered as the sync
// read's code, and the reader resynchronized after them as the sync one is.

#define BOOST_TEST_MODULE asio_errors
#include <boost/test/unit_test.hpp>

#include "support/asio.hpp"
#include "support/naming.hpp"
#include "support/raw_segment.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>
#include <utility>

namespace net = boost::asio;
namespace zb = zerobuffer;
using namespace std::chrono_literals;
using boost::system::error_code;
using zb::errc;
using zb::testing::test_data_patterns;

namespace {

// One async_read_frame on `ctx`, run until it completes (10 s at most).
std::pair<error_code, zb::frame> read_one(net::io_context& ctx, zb::asio::reader& r)
{
    std::optional<std::pair<error_code, zb::frame>> result;
    r.async_read_frame([&](error_code ec, zb::frame f) { result.emplace(ec, std::move(f)); });
    BOOST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    return std::move(*result);
}

zb::buffer_config small_ring()
{
    zb::buffer_config c;
    c.metadata_size = 0; // the first frame header right after the OIEB (128 bytes)
    c.payload_size = 4096;
    return c;
}

} // namespace

// 10.5 A sequence gap is sequence_error; the next read gets the frame found.
BOOST_AUTO_TEST_CASE(conformance_10_5_a_sequence_gap_is_sequence_error_then_resynchronized)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-seq-gap");
    zb::asio::reader r(ctx, name, small_ring());
    zb::writer w(name);
    w.write_frame(test_data_patterns::frame_data(10, 1));
    w.write_frame(test_data_patterns::frame_data(10, 2));
    zb::test::raw_segment seg(name);
    seg.put_u64(128 + 26 + 8, 7); // the second header's sequence: 2 -> 7

    auto [ec1, first] = read_one(ctx, r);
    BOOST_TEST(!ec1);
    BOOST_TEST(first.sequence() == 1u);
    first = {};
    auto [ec2, missing] = read_one(ctx, r);
    BOOST_TEST(ec2 == errc::sequence_error, ec2.message());
    BOOST_TEST(!missing.valid());
    auto [ec3, found] = read_one(ctx, r);
    BOOST_TEST(!ec3, ec3.message());
    BOOST_TEST(found.sequence() == 7u);
}

// 10.5 A header whose size runs past the ring is corrupted_buffer, each time,
// without a read outside the ring; repaired, the frame is read.
BOOST_AUTO_TEST_CASE(conformance_10_5_a_corrupted_header_is_corrupted_buffer)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-corrupt");
    zb::asio::reader r(ctx, name, small_ring());
    zb::writer w(name);
    w.write_frame(test_data_patterns::frame_data(100, 1));
    zb::test::raw_segment seg(name);
    seg.put_u64(128, 5000); // the header's payload size, beyond the 4096-byte ring
    for (int i = 0; i < 2; ++i) {
        auto [ec, f] = read_one(ctx, r);
        BOOST_TEST(ec == errc::corrupted_buffer, ec.message());
        BOOST_TEST(!f.valid());
    }
    seg.put_u64(128, 100);
    auto [ec, f] = read_one(ctx, r);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 1));
}
