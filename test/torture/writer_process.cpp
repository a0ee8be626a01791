// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The writer side of zerobuffer_torture: what a writer process does, step by
// step reported in its slot so that the parent knows where a kill landed.

#include "torture.hpp"

#include <zerobuffer/testing/test_data_patterns.hpp>

#include <iostream>
#include <thread>

namespace zerobuffer::torture {

using zerobuffer::testing::test_data_patterns;

std::int64_t now_ns() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now().time_since_epoch())
        .count();
}

void mark_ending(writer_slot& s) noexcept
{
    s.ending_ns.store(now_ns());
    s.ending.store(1);
}

namespace {

void set_phase(writer_slot& s, write_phase p) noexcept
{
    s.phase.store(static_cast<std::uint32_t>(p));
}

/// How long a writer stays inside a reservation: often not at all, sometimes
/// a spin of up to 2 ms, now and then a sleep, so that kills land there.
void linger(std::mt19937_64& rng)
{
    const auto r = uniform(rng, 0, 99);
    if (r < 55) {
        return;
    }
    if (r < 85) {
        spin_for(std::chrono::microseconds(uniform(rng, 0, 200)));
    } else if (r < 97) {
        spin_for(std::chrono::microseconds(uniform(rng, 200, 2000)));
    } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(uniform(rng, 1, 5)));
    }
}

} // namespace

void write_session(writer& w, const write_plan& plan, writer_slot& s, std::mt19937_64& rng)
{
    std::vector<std::byte> copy(plan.max_frame);
    const std::byte* last = nullptr;
    for (std::uint64_t seq = 1; plan.frames == 0 || seq <= plan.frames; ++seq) {
        if (clock::now() >= plan.deadline) {
            return;
        }
        const std::size_t size = frame_size(plan.seed, plan.slot, seq, plan.max_frame);
        if (chance(rng, 70)) {
            set_phase(s, write_phase::reserving);
            const std::span<std::byte> area = w.get_frame_buffer(size);
            // A data area below the previous one: the reservation wrapped (a
            // marker or a short tail was left at the old write position).
            const bool wrapped = last != nullptr && area.data() < last;
            last = area.data();
            s.wrapped_pending.store(wrapped ? 1 : 0);
            if (wrapped) {
                s.wraps.fetch_add(1);
            }
            set_phase(s, write_phase::reserved);
            // Half the data, a pause, then all of it: a kill in between leaves a
            // half-written reservation behind.
            test_data_patterns::fill_frame(area.first(size / 2), seq);
            linger(rng);
            test_data_patterns::fill_frame(area, seq);
            set_phase(s, write_phase::committing);
            w.commit_frame();
        } else {
            const std::span<std::byte> data(copy.data(), size);
            test_data_patterns::fill_frame(data, seq);
            set_phase(s, write_phase::writing);
            w.write_frame(std::span<const std::byte>(data));
            last = nullptr; // where it went is not known
        }
        s.committed.store(seq);
        s.bytes.fetch_add(size);
        set_phase(s, write_phase::idle);
        if (chance(rng, 1)) {
            std::this_thread::sleep_for(std::chrono::microseconds(uniform(rng, 100, 2000)));
        }
    }
}

int writer_process(const write_plan& plan, writer_slot& s)
{
    s.pid.store(static_cast<std::int32_t>(::getpid()));
    std::mt19937_64 rng(mix(plan.seed ^ (plan.slot + 1) * 0x51ed27ULL));
    try {
        writer w(plan.name, plan.options);
        s.started.store(1);
        write_session(w, plan, s, rng);
        mark_ending(s);
        w.close();
        return 0;
    } catch (const zerobuffer::error& e) {
        const auto ec = e.code();
        s.error.store(ec.category() == error_category() ? ec.value() : -ec.value());
        std::cerr << "zerobuffer_torture: writer slot " << plan.slot << " (pid " << ::getpid()
                  << "): " << e.what() << std::endl;
    } catch (const std::exception& e) {
        s.error.store(-1000);
        std::cerr << "zerobuffer_torture: writer slot " << plan.slot << ": " << e.what()
                  << std::endl;
    }
    return 3;
}

} // namespace zerobuffer::torture
