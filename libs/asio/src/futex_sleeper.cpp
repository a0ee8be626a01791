// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "futex_sleeper.hpp"

#include "glibc_semaphore.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <list>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

namespace zerobuffer::asio::detail {
namespace {

// linux/futex.h of Debian's 6.1 headers has struct futex_waitv and FUTEX_32;
// the kernel caps one call at 128 words (FUTEX_WAITV_MAX).
constexpr std::size_t max_words = 128;
constexpr std::size_t max_sleeps_per_thread = max_words - 1; // one is the control word

long sys_futex_waitv(::futex_waitv* waiters, std::size_t count,
                     const timespec* abs_timeout) noexcept
{
    return ::syscall(SYS_futex_waitv, waiters, static_cast<unsigned>(count), 0U, abs_timeout,
                     CLOCK_MONOTONIC);
}

void futex_wake_private(std::uint32_t* word) noexcept
{
    ::syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

timespec to_timespec(std::chrono::steady_clock::time_point t) noexcept
{
    const auto since = t.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(secs.count());
    ts.tv_nsec = static_cast<long>(std::chrono::nanoseconds(since - secs).count());
    return ts;
}

bool take_token(sem_t* sem) noexcept
{
    int rc = 0;
    do {
        rc = ::sem_trywait(sem);
    } while (rc != 0 && errno == EINTR);
    return rc == 0;
}

struct sleep_entry {
    std::uint64_t id = 0;
    sem_t* sem = nullptr;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(bool)> done;
    waiter_registration registration;
    bool cancelled = false;
};

// One helper thread and the sleeps it watches.
class sleeper_thread {
public:
    sleeper_thread() : thread_([this] { run(); }) {}
    sleeper_thread(const sleeper_thread&) = delete;
    sleeper_thread& operator=(const sleeper_thread&) = delete;
    ~sleeper_thread() { stop(); }

    // Adds a sleep if there is a free slot; false when full.
    bool try_add(sleep_entry& entry)
    {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_ || entries_.size() >= max_sleeps_per_thread)
                return false;
            // Counted in before the thread next looks: a post from now on
            // wakes the futex word the thread sleeps on.
            entry.registration = waiter_registration(entry.sem);
            entries_.push_back(std::move(entry));
        }
        poke();
        return true;
    }

    bool cancel(std::uint64_t id) noexcept
    {
        bool found = false;
        {
            const std::lock_guard lock(mutex_);
            for (auto& e : entries_)
                if (e.id == id) {
                    e.cancelled = true;
                    found = true;
                }
        }
        if (found)
            poke();
        return found;
    }

    // Ends the thread; the sleeps it had end without their callbacks.
    void stop() noexcept
    {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        poke();
        if (thread_.joinable())
            thread_.join();
        const std::lock_guard lock(mutex_);
        entries_.clear();
    }

private:
    // Makes the thread look at its entries again (a new sleep, a cancel).
    void poke() noexcept
    {
        std::atomic_ref<std::uint32_t>(control_).fetch_add(1, std::memory_order_release);
        futex_wake_private(&control_);
    }

    void run()
    {
        std::vector<::futex_waitv> words;
        std::vector<std::pair<std::function<void(bool)>, bool>> finished;
        words.reserve(max_words);
        for (;;) {
            words.clear();
            auto nearest = std::chrono::steady_clock::time_point::max();
            {
                const std::lock_guard lock(mutex_);
                if (stopping_)
                    return;
                ::futex_waitv control{};
                // The value read under the lock: a poke after it changes the
                // word, and futex_waitv then returns at once.
                control.val =
                    std::atomic_ref<std::uint32_t>(control_).load(std::memory_order_acquire);
                control.uaddr = reinterpret_cast<std::uintptr_t>(&control_);
                control.flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
                words.push_back(control);
                for (const auto& e : entries_) {
                    const glibc_semaphore sem(e.sem);
                    ::futex_waitv w{};
                    w.val = 0;
                    w.uaddr = reinterpret_cast<std::uintptr_t>(sem.futex_word());
                    w.flags = FUTEX_32 | (sem.is_private() ? FUTEX_PRIVATE_FLAG : 0U);
                    words.push_back(w);
                    nearest = std::min(nearest, e.deadline);
                }
            }
            timespec until{};
            const timespec* timeout = nullptr;
            if (nearest != std::chrono::steady_clock::time_point::max()) {
                until = to_timespec(nearest);
                timeout = &until;
            }
            // Returns on a wake, a word that is not its expected value (a
            // token already there, a poke), the deadline or a signal: all of
            // them are looked at below.
            (void)sys_futex_waitv(words.data(), words.size(), timeout);

            finished.clear();
            {
                const std::lock_guard lock(mutex_);
                const auto now = std::chrono::steady_clock::now();
                for (auto it = entries_.begin(); it != entries_.end();) {
                    const bool token = glibc_semaphore(it->sem).value() != 0;
                    if (!token && !it->cancelled && now < it->deadline) {
                        ++it;
                        continue;
                    }
                    it->registration.reset();
                    finished.emplace_back(std::move(it->done), take_token(it->sem));
                    it = entries_.erase(it);
                }
            }
            for (auto& [done, taken] : finished)
                done(taken);
        }
    }

    std::mutex mutex_;
    std::list<sleep_entry> entries_;
    bool stopping_ = false;
    alignas(4) std::uint32_t control_ = 0;
    std::thread thread_;
};

class futex_sleeper final : public sleeper {
public:
    ~futex_sleeper() override { shutdown(); }

    wait_backend backend() const noexcept override { return wait_backend::futex_waitv; }

    std::uint64_t start(sleep_request request) override
    {
        sleep_entry entry;
        entry.sem = request.sem;
        entry.deadline = request.deadline;
        entry.done = std::move(request.done);
        const std::lock_guard lock(mutex_);
        ++last_serial_;
        if (shut_down_)
            return last_serial_ << thread_bits;
        for (std::size_t i = 0; i < threads_.size(); ++i) {
            entry.id = (last_serial_ << thread_bits) | i;
            if (threads_[i]->try_add(entry))
                return entry.id;
        }
        // Every thread is full: one more (bounded by the sleeps at once / 127).
        const std::size_t index = threads_.size();
        threads_.push_back(std::make_unique<sleeper_thread>());
        entry.id = (last_serial_ << thread_bits) | index;
        threads_.back()->try_add(entry);
        return entry.id;
    }

    void cancel(std::uint64_t id) noexcept override
    {
        const std::lock_guard lock(mutex_);
        const std::size_t index = id & thread_mask;
        if (index < threads_.size())
            threads_[index]->cancel(id);
    }

    void shutdown() noexcept override
    {
        std::vector<std::unique_ptr<sleeper_thread>> threads;
        {
            const std::lock_guard lock(mutex_);
            shut_down_ = true;
            threads.swap(threads_);
        }
        threads.clear(); // joins them; their sleeps end without callbacks
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<sleeper_thread>> threads_;
    // An id is a serial number and, in its low bits, the index of the thread
    // that holds the sleep (threads stay until shutdown): cancel finds it
    // without a table.
    static constexpr unsigned thread_bits = 16;
    static constexpr std::uint64_t thread_mask = (std::uint64_t{1} << thread_bits) - 1;
    std::uint64_t last_serial_ = 0;
    bool shut_down_ = false;
};

} // namespace

bool futex_waitv_available(boost::system::error_code& ec) noexcept
{
    // A word whose value is not the expected one: a kernel with the call
    // answers EAGAIN at once.
    alignas(4) std::uint32_t word = 1;
    ::futex_waitv w{};
    w.val = 0;
    w.uaddr = reinterpret_cast<std::uintptr_t>(&word);
    w.flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    if (sys_futex_waitv(&w, 1, nullptr) == -1 && errno != EAGAIN) {
        ec.assign(errno, boost::system::system_category());
        return false;
    }
    ec.clear();
    return true;
}

std::unique_ptr<sleeper> make_futex_sleeper()
{
    return std::make_unique<futex_sleeper>();
}

} // namespace zerobuffer::asio::detail
