// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The streaming floor of `bench` (example/zerobuffer/record_ring.hpp): it
// moves every record intact and in order, across the ring's end and between
// two processes, refuses what does not fit, and rejects a length that runs
// past the ring instead of reading past it.

#define BOOST_TEST_MODULE record_ring
#include <boost/test/unit_test.hpp>

#include "../example/zerobuffer/record_ring.hpp"
#include "../example/zerobuffer/shared_mapping.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <new>
#include <random>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace zerobuffer::tool::bench;

namespace {

/// Record `n`'s payload: its size and bytes both follow from `n`, so the
/// consumer can check each record without being told what was sent.
std::vector<std::byte> record(std::uint64_t n, std::uint64_t max_size)
{
    std::mt19937_64 rng(n);
    std::vector<std::byte> bytes(static_cast<std::size_t>(rng() % (max_size + 1)));
    for (auto& b : bytes) {
        b = static_cast<std::byte>(rng());
    }
    return bytes;
}

bool equal(std::span<const std::byte> a, const std::vector<std::byte>& b)
{
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

/// A ring of `capacity` bytes in memory shared with forked children.
struct ring_fixture {
    explicit ring_fixture(std::uint64_t capacity)
        : mapping(record_ring_layout::bytes_for(capacity)),
          ring(new (mapping.get()) record_ring_counters, capacity)
    {
    }
    shared_mapping mapping;
    record_ring_layout ring;
};

} // namespace

BOOST_AUTO_TEST_CASE(records_come_out_intact_and_in_order_across_many_wraps)
{
    ring_fixture f(1024);
    record_ring_producer producer(f.ring);
    record_ring_consumer consumer(f.ring);
    const std::uint64_t max_size = record_ring_layout::max_payload(1024);
    std::uint64_t pushed = 0;
    std::uint64_t popped = 0;
    std::uint64_t bytes = 0;
    while (popped < 5000) {
        // Fill as far as the ring takes, then drain part of it: the ends
        // of the records land everywhere in the ring.
        for (;;) {
            const auto r = record(pushed, max_size);
            if (!producer.try_push(r)) {
                break;
            }
            ++pushed;
            bytes += r.size();
        }
        BOOST_REQUIRE_GT(pushed, popped); // a full ring holds at least one record
        const std::uint64_t take = 1 + popped % 3;
        for (std::uint64_t i = 0; i < take && popped < pushed; ++i) {
            const auto front = consumer.front();
            BOOST_REQUIRE(front);
            BOOST_REQUIRE(equal(*front, record(popped, max_size)));
            consumer.pop();
            ++popped;
        }
    }
    while (popped < pushed) {
        const auto front = consumer.front();
        BOOST_REQUIRE(front);
        BOOST_REQUIRE(equal(*front, record(popped, max_size)));
        consumer.pop();
        ++popped;
    }
    BOOST_TEST(!consumer.front());
    BOOST_TEST(!consumer.drained()); // not closed yet
    producer.close();
    BOOST_TEST(consumer.drained());
    BOOST_TEST(bytes > 20 * 1024); // the ring went round many times
}

BOOST_AUTO_TEST_CASE(a_full_ring_refuses_and_an_empty_one_has_nothing)
{
    ring_fixture f(256);
    record_ring_producer producer(f.ring);
    record_ring_consumer consumer(f.ring);
    BOOST_TEST(!consumer.front());
    const std::vector<std::byte> payload(56, std::byte{7}); // 64 bytes a record
    for (int i = 0; i < 4; ++i) {
        BOOST_TEST(producer.try_push(payload));
    }
    BOOST_TEST(!producer.try_push(payload));
    BOOST_TEST(!producer.try_push({})); // not even a header fits
    BOOST_REQUIRE(consumer.front());
    consumer.pop();
    BOOST_TEST(producer.try_push(payload)); // the room given back is used again
    BOOST_CHECK_THROW(producer.try_push(std::vector<std::byte>(121)), std::length_error);
}

BOOST_AUTO_TEST_CASE(a_length_past_the_ring_is_rejected_not_followed)
{
    ring_fixture f(256);
    record_ring_producer producer(f.ring);
    record_ring_consumer consumer(f.ring);
    BOOST_REQUIRE(producer.try_push(std::vector<std::byte>(16)));
    const std::uint64_t forged = 4096; // as another process could write it
    std::memcpy(f.ring.data(), &forged, sizeof forged);
    BOOST_CHECK_THROW(consumer.front(), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(another_process_receives_every_record_intact)
{
    constexpr std::uint64_t capacity = 64 * 1024;
    constexpr std::uint64_t records = 200'000;
    constexpr std::uint64_t max_size = 3000;
    ring_fixture f(capacity);

    const pid_t child = ::fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) {
        // The consumer: exits 0 only if every record came, intact and in
        // order, and nothing after the last.
        int status = 0;
        try {
            record_ring_consumer consumer(f.ring);
            std::uint64_t n = 0;
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            for (std::uint64_t spins = 1;; ++spins) {
                if (spins % 65536 == 0 && std::chrono::steady_clock::now() > give_up) {
                    status = 5; // a record never came
                    break;
                }
                if (const auto front = consumer.front()) {
                    if (n >= records || !equal(*front, record(n, max_size))) {
                        status = 2;
                        break;
                    }
                    consumer.pop();
                    ++n;
                } else if (consumer.drained()) {
                    break;
                }
            }
            if (status == 0 && n != records) {
                status = 3;
            }
        } catch (...) {
            status = 4;
        }
        ::_exit(status);
    }

    record_ring_producer producer(f.ring);
    int status = -1;
    bool ended_early = false;
    for (std::uint64_t n = 0; n < records && !ended_early; ++n) {
        const auto r = record(n, max_size);
        for (std::uint32_t spins = 1; !producer.try_push(r); ++spins) {
            if (spins % 65536 == 0 && ::waitpid(child, &status, WNOHANG) == child) {
                ended_early = true; // the consumer gave up: its status says why
                break;
            }
        }
    }
    producer.close();
    if (!ended_early) {
        // The child gives up within 60 s; wait a little longer, then end it.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (::waitpid(child, &status, WNOHANG) != child) {
            if (std::chrono::steady_clock::now() > give_up) {
                ::kill(child, SIGKILL);
                ::waitpid(child, &status, 0);
                BOOST_FAIL("the consumer process did not end");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    BOOST_REQUIRE(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
}
