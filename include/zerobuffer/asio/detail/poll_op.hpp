// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_POLL_OP_HPP
#define ZEROBUFFER_ASIO_DETAIL_POLL_OP_HPP

#include <zerobuffer/asio/detail/completion.hpp>
#include <zerobuffer/asio/detail/operation_registry.hpp>

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <tuple>

namespace zerobuffer::asio::detail {

/// An operation that waits for something the protocol announces with no
/// semaphore (a writer attaching, a reader creating the buffer): it looks,
/// then looks again after 1 ms, 2 ms, ... up to every 20 ms, on a timer.
///
/// `look()` returns the completion arguments (a tuple whose first element is
/// the error_code) once the wait is over, else nullopt; `aborted()` returns
/// them for a cancelled wait. The first look is on the initiating thread
/// (its result is posted), the others on a strand of the I/O executor.
template <class Look, class Handler, class IoExecutor>
class poll_op final : public cancellable,
                      public std::enable_shared_from_this<poll_op<Look, Handler, IoExecutor>> {
public:
    poll_op(Look look, Handler handler, const IoExecutor& io, operation_registry& registry,
            std::shared_ptr<void> owner)
        : look_(std::move(look)), handler_(std::move(handler), io), strand_(io), timer_(strand_),
          registry_(registry), owner_(std::move(owner))
    {
    }

    void start()
    {
        registration_ = registry_.add(this->weak_from_this());
        if (auto slot = handler_.slot(); slot.is_connected()) {
            slot.assign([weak = this->weak_from_this()](boost::asio::cancellation_type type) {
                if (type != boost::asio::cancellation_type::none)
                    if (auto self = weak.lock())
                        self->cancel();
            });
        }
        if (auto result = look_()) {
            finish(true, std::move(*result));
            return;
        }
        boost::asio::post(strand_, [self = this->shared_from_this()] { self->schedule(); });
    }

    void cancel() noexcept override
    {
        cancelled_.store(true, std::memory_order_release);
        boost::asio::post(strand_, [self = this->shared_from_this()] { self->timer_.cancel(); });
    }

private:
    using result_type = typename std::invoke_result_t<Look&>::value_type;

    void schedule()
    {
        if (cancelled_.load(std::memory_order_acquire)) {
            finish(false, look_.aborted());
            return;
        }
        timer_.expires_after(interval_);
        interval_ = std::min(interval_ * 2, std::chrono::milliseconds(20));
        timer_.async_wait(
            [self = this->shared_from_this()](boost::system::error_code) { self->again(); });
    }

    void again()
    {
        if (!cancelled_.load(std::memory_order_acquire))
            if (auto result = look_()) {
                finish(false, std::move(*result));
                return;
            }
        schedule();
    }

    void finish(bool initiating, result_type result)
    {
        registry_.remove(registration_);
        std::apply([&](auto&&... args) { handler_.complete(initiating, std::move(args)...); },
                   std::move(result));
    }

    Look look_;
    tracked_handler<Handler, IoExecutor> handler_;
    boost::asio::strand<IoExecutor> strand_;
    boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                      boost::asio::wait_traits<std::chrono::steady_clock>,
                                      boost::asio::strand<IoExecutor>>
        timer_;
    operation_registry& registry_;
    std::shared_ptr<void> owner_;
    operation_registry::handle registration_{};
    std::atomic<bool> cancelled_{false};
    std::chrono::milliseconds interval_{1};
};

template <class Look, class Handler, class IoExecutor>
void start_poll_op(Look look, Handler handler, const IoExecutor& io, operation_registry& registry,
                   std::shared_ptr<void> owner)
{
    using op_type = poll_op<Look, std::decay_t<Handler>, IoExecutor>;
    auto op = std::make_shared<op_type>(std::move(look), std::forward<Handler>(handler), io,
                                        registry, std::move(owner));
    op->start();
}

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_POLL_OP_HPP
