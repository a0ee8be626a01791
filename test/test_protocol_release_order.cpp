// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suite for protocol/release_order.hpp: frames released in any order give
// their space back in ring order, every byte exactly once.

#define BOOST_TEST_MODULE protocol_release_order
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

BOOST_AUTO_TEST_SUITE(release_order)

BOOST_AUTO_TEST_CASE(in_order_releases_return_at_once)
{
    zp::release_order order;
    BOOST_TEST(order.empty());
    const auto t1 = order.push_frame(100);
    const auto t2 = order.push_frame(50);
    BOOST_TEST(t2 == t1 + 1);
    BOOST_TEST(order.in_flight() == 2U);
    auto r = order.release(t1);
    BOOST_TEST(r.bytes == 100U);
    BOOST_TEST(r.frames == 1U);
    r = order.release(t2);
    BOOST_TEST(r.bytes == 50U);
    BOOST_TEST(r.frames == 1U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(a_tail_with_nothing_held_returns_at_once)
{
    zp::release_order order;
    BOOST_TEST(order.push_tail(80) == 80U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(a_tail_behind_a_held_frame_waits_for_it)
{
    zp::release_order order;
    const auto t1 = order.push_frame(100);
    BOOST_TEST(order.push_tail(80) == 0U);
    const auto t2 = order.push_frame(30);
    BOOST_TEST(order.in_flight() == 3U);
    auto r = order.release(t2);
    BOOST_TEST(r.bytes == 0U);
    BOOST_TEST(r.frames == 0U);
    r = order.release(t1);
    BOOST_TEST(r.bytes == 210U); // frame, tail, frame
    BOOST_TEST(r.frames == 2U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(unknown_and_repeated_tickets_return_nothing)
{
    zp::release_order order;
    const auto t1 = order.push_frame(10);
    const auto t2 = order.push_frame(20);
    BOOST_TEST(order.release(t2 + 5).bytes == 0U);
    BOOST_TEST(order.release(t2).bytes == 0U);
    BOOST_TEST(order.release(t2).bytes == 0U); // again, still held behind t1
    BOOST_TEST(order.release(t1).bytes == 30U);
    BOOST_TEST(order.release(t1).bytes == 0U);
    BOOST_TEST(order.release(t2).bytes == 0U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(many_items_in_any_order_return_every_byte_once)
{
    // More items than the initial capacity, with the oldest item in the middle
    // of the storage when it grows.
    zp::release_order order;
    lcg rng(7);
    std::uint64_t pushed_bytes = 0;
    std::uint64_t returned_bytes = 0;
    std::uint64_t returned_frames = 0;
    std::vector<std::uint64_t> first;
    for (std::uint64_t i = 0; i < 60; ++i) {
        first.push_back(order.push_frame(i + 1));
        pushed_bytes += i + 1;
    }
    for (std::size_t i = 0; i < 50; ++i) {
        const auto r = order.release(first[i]);
        returned_bytes += r.bytes;
        returned_frames += r.frames;
    }
    BOOST_TEST(returned_frames == 50U);
    std::vector<std::uint64_t> tickets(first.begin() + 50, first.end());
    std::uint64_t frames = 60;
    for (std::uint64_t i = 0; i < 300; ++i) {
        if (i % 7 == 0) {
            const auto now = order.push_tail(1000);
            pushed_bytes += 1000;
            returned_bytes += now;
        } else {
            tickets.push_back(order.push_frame(i));
            pushed_bytes += i;
            ++frames;
        }
    }
    BOOST_TEST(order.in_flight() > 64U);
    // Shuffle, then release everything.
    for (std::size_t i = tickets.size(); i > 1; --i) {
        std::swap(tickets[i - 1], tickets[rng(i)]);
    }
    for (const auto t : tickets) {
        const auto r = order.release(t);
        returned_bytes += r.bytes;
        returned_frames += r.frames;
    }
    BOOST_TEST(order.empty());
    BOOST_TEST(returned_bytes == pushed_bytes);
    BOOST_TEST(returned_frames == frames);
}

BOOST_AUTO_TEST_SUITE_END()
