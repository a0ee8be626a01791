// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_CLIENT_STATE_HPP
#define ZEROBUFFER_ASIO_DETAIL_CLIENT_STATE_HPP

#include <zerobuffer/asio/basic_reader.hpp>
#include <zerobuffer/asio/basic_writer.hpp>
#include <zerobuffer/asio/detail/request_op.hpp>
#include <zerobuffer/duplex/error_response.hpp>
#include <zerobuffer/error.hpp>

#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace zerobuffer::asio::detail {

/// The machinery of an asynchronous duplex client: a queue of requests
/// written one at a time, the requests sent and waiting for their responses
/// (by sequence number), one read of responses outstanding while any wait,
/// and a watch on the server while any request is outstanding.
///
/// Every decision is made under `mutex_`; the I/O it decides on (the next
/// write, the next read, the timer) is started and every completion is
/// delivered after the lock is released.
template <class Executor>
class client_state : public std::enable_shared_from_this<client_state<Executor>> {
public:
    using op_ptr = std::shared_ptr<request_op_base>;

    client_state(basic_reader<Executor>&& responses, basic_writer<Executor>&& requests,
                 std::chrono::nanoseconds liveness_interval)
        : responses_(std::move(responses)), requests_(std::move(requests)),
          watch_timer_(responses_.get_executor()), liveness_interval_(liveness_interval)
    {
    }

    /// Starts `op` on the initiating thread: written at once when the ring
    /// has room and nothing is queued before it.
    void start(const op_ptr& op)
    {
        actions next;
        {
            const std::lock_guard lock(mutex_);
            if (op->where == request_op_base::phase::done) {
                return; // its slot was emitted already: completed with operation_aborted
            }
            if (closed_ || failure_) {
                op->where = request_op_base::phase::done;
                next.complete(op, closed_ ? make_error_code(errc::invalid_state) : failure_);
            } else if (queue_.empty()) {
                boost::system::error_code ec;
                if (requests_.get().try_write_frame(op->data, ec)) {
                    sent(op, next);
                } else if (ec) {
                    op->where = request_op_base::phase::done;
                    next.complete(op, as_send_error(ec));
                    if (as_send_error(ec) == errc::server_dead)
                        fail_all(as_send_error(ec), next);
                } else {
                    queue_.push_back(op);
                    begin_write(next);
                }
            } else {
                queue_.push_back(op);
            }
            watch_if_needed();
        }
        run(next, true);
    }

    /// The handler's cancellation of `op` (see basic_client::async_request).
    void cancel(const op_ptr& op, boost::asio::cancellation_type type)
    {
        bool cancel_write = false;
        {
            const std::lock_guard lock(mutex_);
            switch (op->where) {
            case request_op_base::phase::queued: std::erase(queue_, op); break;
            case request_op_base::phase::writing:
                op->cancel_requested = true;
                cancel_write = true;
                break;
            case request_op_base::phase::awaiting:
                if ((type & boost::asio::cancellation_type::terminal) ==
                    boost::asio::cancellation_type::none)
                    return; // sent: only a terminal cancellation can end it
                awaiting_.erase(op->sequence);
                abandoned_.insert(op->sequence);
                break;
            case request_op_base::phase::done: return;
            }
            if (!cancel_write)
                op->where = request_op_base::phase::done;
        }
        if (cancel_write) {
            requests_.cancel(); // the reservation ends; on_reserved completes it
            return;
        }
        // Not inside the slot's handler, which the completion clears.
        boost::asio::post(responses_.get_executor(),
                          [op] { op->complete(false, operation_aborted_code(), {}); });
    }

    /// Ends every outstanding request with `operation_aborted`; `closing`
    /// also closes both endpoints.
    void cancel_all(bool closing) noexcept
    {
        actions next;
        {
            const std::lock_guard lock(mutex_);
            if (closing)
                closed_ = true;
            for (const op_ptr& op : queue_) {
                if (op->where == request_op_base::phase::writing) {
                    op->cancel_requested = true;
                    next.cancel_write = true;
                } else {
                    op->where = request_op_base::phase::done;
                    next.complete(op, operation_aborted_code());
                }
            }
            std::erase_if(
                queue_, [](const op_ptr& op) { return op->where == request_op_base::phase::done; });
            for (auto& [sequence, op] : awaiting_) {
                abandoned_.insert(sequence);
                op->where = request_op_base::phase::done;
                next.complete(op, operation_aborted_code());
            }
            awaiting_.clear();
            if (closing)
                watch_timer_.cancel();
        }
        if (closing) {
            requests_.close(); // ends the reservation too
            responses_.close();
        }
        run(next, true); // the reservation's cancel, the completions
    }

    bool is_open() const noexcept
    {
        const std::lock_guard lock(mutex_);
        return !closed_ && responses_.is_open() && requests_.is_open();
    }
    bool server_connected() const
    {
        return requests_.is_open() && requests_.get().is_reader_connected();
    }
    std::uint64_t requests_sent() const noexcept { return requests_.get().frames_written(); }

private:
    // What one decision leads to, carried out after the lock is released.
    struct actions {
        std::vector<std::pair<op_ptr, std::pair<boost::system::error_code, frame>>> completions;
        bool write = false;
        bool read = false;
        bool cancel_write = false; // end the reservation of the writing request
        bool cancel_read = false;  // end the read of responses: the channel is over
        void complete(const op_ptr& op, boost::system::error_code ec, frame f = {})
        {
            completions.emplace_back(op, std::pair{ec, std::move(f)});
        }
    };

    // The writer's errors as the client's: the request buffer's reader is
    // the server.
    static boost::system::error_code as_send_error(const boost::system::error_code& ec)
    {
        return ec == errc::reader_dead ? make_error_code(errc::server_dead) : ec;
    }
    // The response reader's errors as the client's: its writer is the server.
    static boost::system::error_code as_receive_error(const boost::system::error_code& ec)
    {
        if (ec == errc::writer_dead)
            return make_error_code(errc::server_dead);
        if (ec == errc::writer_disconnected)
            return make_error_code(errc::server_stopped);
        return ec;
    }

    // `op` was just committed (the writer's last frame): it waits for its
    // response now.
    void sent(const op_ptr& op, actions& next)
    {
        op->sequence = requests_.get().frames_written();
        op->where = request_op_base::phase::awaiting;
        awaiting_.emplace(op->sequence, op);
        if (!reading_) {
            reading_ = true;
            next.read = true;
        }
    }

    void begin_write(actions& next)
    {
        queue_.front()->where = request_op_base::phase::writing;
        next.write = true;
    }

    // Caller holds mutex_.
    void watch_if_needed()
    {
        if (!watching_ && !closed_ && (!queue_.empty() || !awaiting_.empty())) {
            watching_ = true;
            arm_watch();
        }
    }

    // Fails every request outstanding: the channel is over.
    // Caller holds mutex_.
    void fail_all(const boost::system::error_code& ec, actions& next)
    {
        failure_ = ec;
        next.cancel_read = true;
        for (const op_ptr& op : queue_) {
            if (op->where == request_op_base::phase::writing) {
                next.cancel_write = true; // on_reserved completes it with failure_
            } else {
                op->where = request_op_base::phase::done;
                next.complete(op, ec);
            }
        }
        std::erase_if(queue_,
                      [](const op_ptr& op) { return op->where == request_op_base::phase::done; });
        for (auto& [sequence, op] : awaiting_) {
            op->where = request_op_base::phase::done;
            next.complete(op, ec);
        }
        awaiting_.clear();
    }

    void run(actions& next, bool initiating)
    {
        if (next.write)
            write_front();
        if (next.read)
            read_next();
        if (next.cancel_write)
            requests_.cancel();
        if (next.cancel_read)
            responses_.cancel();
        for (auto& [op, result] : next.completions)
            op->complete(initiating, result.first, std::move(result.second));
    }

    void write_front()
    {
        op_ptr head;
        {
            const std::lock_guard lock(mutex_);
            head = queue_.front();
        }
        requests_.async_get_frame_buffer(
            head->data.size(), [self = this->shared_from_this(), head](boost::system::error_code ec,
                                                                       std::span<std::byte> area) {
                self->on_reserved(head, ec, area);
            });
        // A cancel that came before the reservation was registered did not
        // reach it: end it now (nothing else is being written meanwhile).
        bool missed = false;
        {
            const std::lock_guard lock(mutex_);
            missed = head->cancel_requested || closed_ || failure_;
        }
        if (missed)
            requests_.cancel();
    }

    void on_reserved(const op_ptr& head, boost::system::error_code ec, std::span<std::byte> area)
    {
        bool again = false;
        {
            const std::lock_guard lock(mutex_);
            // Ended by a cancel meant for the request before it (which
            // finished meanwhile): this one waits again.
            again =
                ec == operation_aborted_code() && !head->cancel_requested && !closed_ && !failure_;
        }
        if (again) {
            write_front();
            return;
        }
        actions next;
        {
            const std::lock_guard lock(mutex_);
            queue_.pop_front(); // head: one write at a time, always the front
            head->where = request_op_base::phase::done;
            if (!ec && (head->cancel_requested || closed_ || failure_)) {
                requests_.abandon_frame(); // nothing is sent
                ec = operation_aborted_code();
            } else if (!ec) {
                std::memcpy(area.data(), head->data.data(), head->data.size());
                requests_.commit_frame(ec);
            }
            if (!ec) {
                sent(head, next);
            } else {
                if (head->cancel_requested || closed_)
                    ec = operation_aborted_code();
                else if (failure_)
                    ec = failure_;
                next.complete(head, as_send_error(ec));
                if (!failure_ && as_send_error(ec) == errc::server_dead)
                    fail_all(as_send_error(ec), next);
            }
            if (!queue_.empty() && !closed_ && !failure_)
                begin_write(next);
        }
        run(next, false);
    }

    void read_next()
    {
        responses_.async_read_frame(
            [self = this->shared_from_this()](boost::system::error_code ec, frame f) {
                self->on_response(ec, std::move(f));
            });
    }

    void on_response(boost::system::error_code ec, frame f)
    {
        actions next;
        {
            const std::lock_guard lock(mutex_);
            reading_ = false;
            if (ec) {
                if (ec != operation_aborted_code() && !closed_ && !failure_)
                    fail_all(as_receive_error(ec), next);
            } else if (const auto it = awaiting_.find(f.sequence()); it != awaiting_.end()) {
                const op_ptr op = it->second;
                awaiting_.erase(it);
                op->where = request_op_base::phase::done;
                const bool failed = duplex::is_error_response(f.bytes());
                next.complete(op,
                              failed ? make_error_code(errc::handler_failed)
                                     : boost::system::error_code{},
                              std::move(f));
            } else {
                // A response whose request was cancelled: released here.
                abandoned_.erase(f.sequence());
                f = {};
            }
            // Also for responses of cancelled requests still to come: they
            // would fill the response ring.
            if ((!awaiting_.empty() || !abandoned_.empty()) && !closed_ && !failure_) {
                reading_ = true;
                next.read = true;
            }
        }
        next.cancel_read = false; // this read is over already
        run(next, false);
    }

    // Caller holds mutex_ (the timer is used by one thread at a time).
    void arm_watch()
    {
        watch_timer_.expires_after(liveness_interval_);
        watch_timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
            self->on_watch(ec);
        });
    }

    // Before the server attached its response writer, only the request
    // buffer's reader tells whether it lives; after, the response read
    // notices its death itself. Looked at every liveness interval while a
    // request is outstanding.
    void on_watch(boost::system::error_code ec)
    {
        actions next;
        {
            const std::lock_guard lock(mutex_);
            if (ec || closed_ || failure_ || (queue_.empty() && awaiting_.empty())) {
                watching_ = false;
                return;
            }
            if (!requests_.get().is_reader_connected())
                fail_all(make_error_code(errc::server_dead), next);
            if (failure_)
                watching_ = false;
            else
                arm_watch();
        }
        run(next, false);
    }

    basic_reader<Executor> responses_;
    basic_writer<Executor> requests_;
    boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                      boost::asio::wait_traits<std::chrono::steady_clock>, Executor>
        watch_timer_;
    std::chrono::nanoseconds liveness_interval_;

    mutable std::mutex mutex_;
    std::deque<op_ptr> queue_;                 // not yet sent; the front may be writing
    std::map<std::uint64_t, op_ptr> awaiting_; // sent, by sequence number
    std::set<std::uint64_t> abandoned_;        // sent, cancelled: response dropped
    bool reading_ = false;                     // a read of responses is outstanding
    bool watching_ = false;                    // the watch timer is armed
    bool closed_ = false;
    boost::system::error_code failure_; // the channel's end, for every request
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_CLIENT_STATE_HPP
