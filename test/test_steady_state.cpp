// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Steady streaming allocates nothing per frame: every operator new of this
// program is counted while frames stream through a buffer.

#define BOOST_TEST_MODULE steady_state
#include <boost/test/unit_test.hpp>

#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/writer.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

// ThreadSanitizer's runtime defines the allocation functions itself: under it
// every allocation is counted through the sanitizer's malloc hook instead.
#if defined(__SANITIZE_THREAD__)
#define ZEROBUFFER_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ZEROBUFFER_TEST_TSAN 1
#endif
#endif

namespace {
std::atomic<std::uint64_t> allocations{0};
} // namespace

#ifdef ZEROBUFFER_TEST_TSAN
#include <sanitizer/allocator_interface.h>

namespace {
void count_malloc(const volatile void*, std::size_t)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
}
void ignore_free(const volatile void*) {}
[[maybe_unused]] const int hooks_installed =
    __sanitizer_install_malloc_and_free_hooks(count_malloc, ignore_free);
} // namespace
#else

// Counting replacements of the global allocation functions (the sized and
// aligned forms of delete forward to these in libstdc++). GCC cannot see that
// the replaced delete pairs with the replaced new, both malloc/free.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) {
        return p;
    }
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept
{
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}
#endif

namespace {

namespace zb = zerobuffer;
using namespace std::chrono_literals;

using zerobuffer::test::unique_name;

/// Operator-new calls made by `body`.
template <class Body>
std::uint64_t allocations_in(Body&& body)
{
    const std::uint64_t before = allocations.load(std::memory_order_relaxed);
    body();
    return allocations.load(std::memory_order_relaxed) - before;
}

} // namespace

BOOST_AUTO_TEST_SUITE(steady_state)

// The counting itself works in this build (else the tests below prove nothing).
BOOST_AUTO_TEST_CASE(the_counter_sees_an_allocation)
{
    const std::uint64_t n = allocations_in([] {
        auto p = std::make_unique<std::vector<int>>(100);
        BOOST_TEST(p->size() == 100U);
    });
    BOOST_TEST(n >= 2U);
}

BOOST_AUTO_TEST_CASE(streaming_allocates_nothing_per_frame)
{
    const std::string name = unique_name("no_alloc");
    zb::buffer_config config;
    config.payload_size = 64 * 1024;
    zb::reader r(name, config);
    zb::writer w(name);
    const std::vector<std::byte> data(100, std::byte{1});
    const auto stream = [&](int frames) {
        for (int i = 0; i < frames; ++i) {
            w.write_frame(data);
            std::span<std::byte> area = w.get_frame_buffer(50);
            area[0] = std::byte{2};
            w.commit_frame();
            zb::frame a = r.read_frame(1s);
            zb::frame b = r.read_frame(1s);
            BOOST_REQUIRE(a.valid() && b.valid());
        }
    };
    stream(1000); // warm-up: wraps, drains, first-use allocations
    const std::uint64_t n = allocations_in([&] { stream(50'000); });
    BOOST_TEST(n == 0U, n << " allocations while streaming 100,000 frames");
}

BOOST_AUTO_TEST_CASE(holding_frames_allocates_only_beyond_the_most_ever_held)
{
    const std::string name = unique_name("no_alloc_held");
    zb::buffer_config config;
    config.payload_size = 256 * 1024;
    zb::reader r(name, config);
    zb::writer w(name);
    const std::vector<std::byte> data(64, std::byte{1});
    std::vector<zb::frame> held;
    held.reserve(1000);
    const auto hold_then_release = [&](int frames) {
        for (int i = 0; i < frames; ++i) {
            w.write_frame(data);
            held.push_back(r.read_frame(1s));
            BOOST_REQUIRE(held.back().valid());
        }
        // Released newest first: space goes back only with the oldest.
        while (!held.empty()) {
            held.pop_back();
        }
    };
    hold_then_release(1000);
    const std::uint64_t n = allocations_in([&] {
        for (int round = 0; round < 20; ++round) {
            hold_then_release(1000);
        }
    });
    BOOST_TEST(n == 0U, n << " allocations while holding up to 1000 frames again");
}

BOOST_AUTO_TEST_SUITE_END()
