// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_WAIT_OP_HPP
#define ZEROBUFFER_ASIO_DETAIL_WAIT_OP_HPP

#include <zerobuffer/asio/detail/completion.hpp>
#include <zerobuffer/asio/detail/operation_registry.hpp>
#include <zerobuffer/asio/wait_service.hpp>
#include <zerobuffer/wait_step.hpp>

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <tuple>
#include <type_traits>
#include <utility>

namespace zerobuffer::asio::detail {

/// The asynchronous driver of a core wait machine (`frame_wait`,
/// `space_wait`): the I/O-free decisions stay in the core; this runs them.
///
/// `start()` goes on from a first `advance()` made on the initiating thread
/// (a blocking wait's: it never spins); `start_posted()` makes that first
/// advance in a handler posted to the I/O executor instead, for a wait that
/// spins (the spin holds the event loop, not the initiating call, and what
/// it finds completes inline there). When the wait must
/// sleep, the context's `wait_service` sleeps on its semaphore and the wake-up
/// is posted to the I/O executor, which advances again. When the wait is done,
/// `finish(wait)` makes the completion arguments (a tuple), delivered on the
/// handler's executor.
///
/// Cancellation (the handler's slot: terminal, partial and total, because an
/// ended wait consumed nothing and committed nothing; the object's `cancel()`;
/// its destruction) interrupts the wait and ends its sleep: the wait then
/// finishes with `operation_aborted`, or with what it had found already.
template <class Wait, class Finish, class Handler, class IoExecutor>
class wait_op final
    : public cancellable,
      public std::enable_shared_from_this<wait_op<Wait, Finish, Handler, IoExecutor>> {
public:
    wait_op(Wait wait, Finish finish, Handler handler, const IoExecutor& io, wait_service& service,
            operation_registry& registry, std::shared_ptr<void> owner)
        : wait_(std::move(wait)), finish_(std::move(finish)), handler_(std::move(handler), io),
          io_(io), service_(service), registry_(registry), owner_(std::move(owner))
    {
    }

    wait_op(const wait_op&) = delete;
    wait_op& operator=(const wait_op&) = delete;

    /// On the initiating thread, once, after the wait's first `advance()`
    /// asked to sleep; `cancels`: the registry's count before that advance.
    void start(std::uint64_t cancels)
    {
        connect(cancels);
        run(true, true);
    }

    /// On the initiating thread, once, before any `advance()`: the wait is
    /// advanced first by a handler posted to the I/O executor. A spin then
    /// holds the event loop, not the initiating call, and a frame it finds
    /// completes through `dispatch`: the handler runs at once when its
    /// executor is the one spinning (a coroutine resumes with no second post).
    void start_posted()
    {
        connect(registry_.cancels());
        boost::asio::post(io_, [self = this->shared_from_this()] { self->run(false); });
    }

    void cancel() noexcept override
    {
        const std::lock_guard lock(mutex_);
        if (finished_)
            return;
        cancelled_ = true;
        wait_.interrupt();
        if (sleep_id_ != 0)
            service_.cancel_sleep(sleep_id_);
    }

private:
    // Registers with the I/O object and the handler's slot; `cancels`: the
    // registry's count before the wait was first advanced (unregistered).
    void connect(std::uint64_t cancels)
    {
        registration_ = registry_.add(this->weak_from_this());
        registered_ = true;
        if (registry_.cancels() != cancels) {
            // cancel() came while the first advance ran unregistered.
            const std::lock_guard lock(mutex_);
            cancelled_ = true;
            wait_.interrupt();
        }
        if (auto slot = handler_.slot(); slot.is_connected()) {
            slot.assign([weak = this->weak_from_this()](boost::asio::cancellation_type type) {
                if (type != boost::asio::cancellation_type::none)
                    if (auto self = weak.lock())
                        self->cancel();
            });
        }
    }

    // `asleep`: the last advance() asked to sleep already.
    void run(bool initiating, bool asleep = false)
    {
        while (std::exchange(asleep, false) || wait_.advance() == wait_step::sleep) {
            const std::lock_guard lock(mutex_);
            if (cancelled_) {
                // Interrupted already: the next advance ends the wait, no
                // sleep needed for it.
                wait_.slept(false);
                continue;
            }
            // Never calls back inside start_sleep: the lock is not held then.
            sleep_id_ = service_.start_sleep(
                wait_.semaphore(), wait_.sleep_until(),
                [self = this->shared_from_this()](bool taken) { self->woken(taken); },
                watch_for_sleep());
            return;
        }
        {
            const std::lock_guard lock(mutex_);
            finished_ = true;
        }
        if (registered_) {
            registry_.remove(registration_);
            registered_ = false;
        }
        std::apply([&](auto&&... args) { handler_.complete(initiating, std::move(args)...); },
                   finish_(wait_));
    }

    // What the backend may watch beside the semaphore: an idle read then
    // sleeps until its writer leaves instead of waking to look every
    // liveness interval (frame_wait::watch_peer). Asked only of a backend
    // that can poll it: the watch costs the reader an inotify instance.
    peer_watch watch_for_sleep()
    {
        if constexpr (requires(Wait & w) { w.watch_peer(); }) {
            if (service_.watches_peers())
                return wait_.watch_peer();
        }
        return {};
    }

    // From the backend: the sleep ended. The wait is driven on the I/O
    // executor again (one thread at a time drives it: the sleep is over).
    void woken(bool taken)
    {
        {
            const std::lock_guard lock(mutex_);
            sleep_id_ = 0;
        }
        boost::asio::post(io_, [self = this->shared_from_this(), taken] {
            self->wait_.slept(taken);
            self->run(false);
        });
    }

    Wait wait_;
    Finish finish_;
    tracked_handler<Handler, IoExecutor> handler_;
    IoExecutor io_;
    wait_service& service_;
    operation_registry& registry_;
    std::shared_ptr<void> owner_; // keeps the I/O object's state (and registry_) alive
    operation_registry::handle registration_{};
    bool registered_ = false;

    std::mutex mutex_; // cancelled_, finished_, sleep_id_ against cancel()
    bool cancelled_ = false;
    bool finished_ = false;
    std::uint64_t sleep_id_ = 0;
};

/// Completes `handler` with `args` (a tuple) through a post to its
/// executor, with no operation state: for a result found by the initiating
/// call itself (nothing is left to register or cancel).
template <class Handler, class IoExecutor, class Args>
void post_completion(Handler&& handler, const IoExecutor& io, Args args)
{
    auto ex = boost::asio::get_associated_executor(handler, io);
    auto alloc = boost::asio::get_associated_allocator(handler);
    auto complete = boost::asio::bind_allocator(
        alloc, [h = std::forward<Handler>(handler), args = std::move(args)]() mutable {
            std::apply(std::move(h), std::move(args));
        });
    if constexpr (std::is_same_v<decltype(ex), boost::asio::any_io_executor>) {
        // An io_context's own executor behind the type erasure (a coroutine's,
        // usually): posted to it directly, the same executor without the
        // erased property queries, and with the handler's allocator, which
        // Asio 1.81 drops through an any_io_executor.
        if (const auto* concrete = ex.template target<boost::asio::io_context::executor_type>()) {
            boost::asio::post(*concrete, std::move(complete));
            return;
        }
    }
    boost::asio::post(ex, std::move(complete));
}

// Not with the handler's allocator: the operation outlives the handler's
// call when the completion is dispatched inline (Asio frees what a handler's
// allocator gave before the handler runs).
template <class Wait, class Finish, class Handler, class IoExecutor>
auto make_wait_op(Wait wait, Finish finish, Handler handler, const IoExecutor& io,
                  wait_service& service, operation_registry& registry, std::shared_ptr<void> owner)
{
    using op_type = wait_op<Wait, Finish, std::decay_t<Handler>, IoExecutor>;
    return std::make_shared<op_type>(std::move(wait), std::move(finish),
                                     std::forward<Handler>(handler), io, service, registry,
                                     std::move(owner));
}

/// Advances `wait` on the initiating thread (a blocking wait: no spin); when
/// it is over at once (a frame or room that came since the try), completes through a post
/// to the handler's executor with no operation state at all. Otherwise makes
/// and starts a wait_op, which sleeps.
template <class Wait, class Finish, class Handler, class IoExecutor>
void start_wait_op(Wait wait, Finish finish, Handler handler, const IoExecutor& io,
                   wait_service& service, operation_registry& registry, std::shared_ptr<void> owner)
{
    const std::uint64_t cancels = registry.cancels();
    if (wait.advance() == wait_step::done) {
        auto args = finish(wait);
        post_completion(std::move(handler), io, std::move(args));
        return;
    }
    make_wait_op(std::move(wait), std::move(finish), std::move(handler), io, service, registry,
                 std::move(owner))
        ->start(cancels);
}

/// Makes a wait_op whose wait is first advanced by a post to the I/O
/// executor (wait_op::start_posted): for a wait that would spin, after the
/// initiating call has looked once and found nothing.
template <class Wait, class Finish, class Handler, class IoExecutor>
void start_posted_wait_op(Wait wait, Finish finish, Handler handler, const IoExecutor& io,
                          wait_service& service, operation_registry& registry,
                          std::shared_ptr<void> owner)
{
    make_wait_op(std::move(wait), std::move(finish), std::move(handler), io, service, registry,
                 std::move(owner))
        ->start_posted();
}

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_WAIT_OP_HPP
