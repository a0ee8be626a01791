// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_COMPLETION_HPP
#define ZEROBUFFER_ASIO_DETAIL_COMPLETION_HPP

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace zerobuffer::asio::detail {

/// A completion handler with what keeps its executor busy until it runs:
/// the work of the handler's associated executor and of the I/O object's.
/// `complete` hands it its arguments on the associated executor: through
/// `post` while the initiating call may still be on the stack (a handler never
/// runs inside it), through `dispatch` otherwise.
template <class Handler, class IoExecutor>
class tracked_handler {
public:
    using handler_executor = boost::asio::associated_executor_t<Handler, IoExecutor>;

    tracked_handler(Handler&& handler, const IoExecutor& io)
        : handler_(std::move(handler)), io_work_(io),
          handler_work_(boost::asio::get_associated_executor(*handler_, io))
    {
    }

    /// The handler's cancellation slot (may be unconnected).
    auto slot() const noexcept { return boost::asio::get_associated_cancellation_slot(*handler_); }

    template <class... Args>
    void complete(bool initiating, Args&&... args)
    {
        auto ex = handler_work_.get_executor();
        auto alloc = boost::asio::get_associated_allocator(*handler_);
        auto call = boost::asio::bind_allocator(
            alloc, [h = std::move(*handler_),
                    args = std::make_tuple(std::forward<Args>(args)...)]() mutable {
                // On the handler's executor, where the slot is emitted: never
                // from another thread while its cancellation handler runs.
                boost::asio::get_associated_cancellation_slot(h).clear();
                std::apply(std::move(h), std::move(args));
            });
        handler_.reset();
        if (initiating)
            boost::asio::post(ex, std::move(call));
        else
            boost::asio::dispatch(ex, std::move(call));
        handler_work_.reset();
        io_work_.reset();
    }

private:
    std::optional<Handler> handler_;
    boost::asio::executor_work_guard<IoExecutor> io_work_;
    boost::asio::executor_work_guard<handler_executor> handler_work_;
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_COMPLETION_HPP
