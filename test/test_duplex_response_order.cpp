// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/duplex/detail/response_order.hpp: the bookkeeping that keeps a
// concurrent server's responses in request order, driven without any buffer
// (CONFORMANCE 9.2, 9.12: in order, the number in flight bounded).

#define BOOST_TEST_MODULE duplex_response_order
#include <boost/test/unit_test.hpp>

#include <zerobuffer/duplex/detail/response_order.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

using zerobuffer::duplex::detail::response_order;

namespace {

response_order::bytes tag(std::uint64_t i)
{
    return {static_cast<std::byte>(i)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(duplex_response_order)

BOOST_AUTO_TEST_CASE(c9_12_admission_is_bounded_and_numbered_in_order)
{
    response_order order(3);
    BOOST_TEST(order.idle());
    BOOST_TEST(order.admit() == 0u);
    BOOST_TEST(order.admit() == 1u);
    BOOST_TEST(order.admit() == 2u);
    BOOST_TEST(!order.can_admit());
    BOOST_TEST(order.in_flight() == 3u);
    BOOST_TEST(order.is_turn(0));
    order.begin_commit(0);
    BOOST_TEST(!order.can_admit()); // room comes with the commit, not the turn
    order.end_commit();
    BOOST_TEST(order.can_admit());
    BOOST_TEST(order.admit() == 3u);
}

BOOST_AUTO_TEST_CASE(only_the_next_response_has_the_turn_and_only_one_holder)
{
    response_order order(4);
    for (int i = 0; i < 3; ++i) {
        order.admit();
    }
    BOOST_TEST(!order.is_turn(1));
    BOOST_TEST(!order.is_turn(2));
    BOOST_TEST(order.is_turn(0));
    order.begin_commit(0);
    BOOST_TEST(!order.is_turn(0)); // held
    BOOST_TEST(!order.is_turn(1));
    order.end_commit();
    BOOST_TEST(order.is_turn(1));
    BOOST_TEST(order.next() == 1u);
}

BOOST_AUTO_TEST_CASE(parked_responses_are_handed_out_only_in_their_turn)
{
    response_order order(4);
    for (int i = 0; i < 3; ++i) {
        order.admit();
    }
    order.park(2, tag(2));
    order.park(1, tag(1));
    BOOST_TEST(!order.take_parked().has_value()); // 0 has not committed
    order.begin_commit(0);
    BOOST_TEST(!order.take_parked().has_value()); // the turn is held
    order.end_commit();
    auto first = order.take_parked();
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(static_cast<int>(first->front()) == 1);
    BOOST_TEST(!order.take_parked().has_value()); // 1 holds the turn now
    order.end_commit();
    auto second = order.take_parked();
    BOOST_REQUIRE(second.has_value());
    BOOST_TEST(static_cast<int>(second->front()) == 2);
    order.end_commit();
    BOOST_TEST(order.idle());
    BOOST_TEST(order.parked() == 0u);
}

BOOST_AUTO_TEST_CASE(c9_2_random_completion_order_commits_in_request_order)
{
    // Requests complete in a random order; each completion either commits at
    // once (its turn) or parks, and every committer drains what became ready:
    // what the server's tasks do, here on one thread.
    std::mt19937 rng(12345);
    for (int round = 0; round < 200; ++round) {
        const std::size_t bound = 1 + rng() % 8;
        response_order order(bound);
        std::vector<std::uint64_t> committed;
        std::uint64_t next_request = 0;
        const std::uint64_t total = 64;
        std::vector<std::uint64_t> pending;
        while (committed.size() < total) {
            while (order.can_admit() && next_request < total) {
                pending.push_back(order.admit());
                ++next_request;
            }
            BOOST_TEST_REQUIRE(order.in_flight() <= bound);
            std::shuffle(pending.begin(), pending.end(), rng);
            const std::uint64_t done = pending.back();
            pending.pop_back();
            if (order.is_turn(done)) {
                order.begin_commit(done);
                committed.push_back(done);
                order.end_commit();
            } else {
                order.park(done, tag(done));
            }
            while (auto ready = order.take_parked()) {
                committed.push_back(static_cast<std::uint64_t>(ready->front()));
                order.end_commit();
            }
        }
        std::vector<std::uint64_t> expected(total);
        std::iota(expected.begin(), expected.end(), 0);
        BOOST_TEST(committed == expected, boost::test_tools::per_element());
        BOOST_TEST(order.idle());
    }
}

BOOST_AUTO_TEST_SUITE_END()
