// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Creating a reader's buffer, and removing it when the reader goes.

#include "reader_impl.hpp"

#include <zerobuffer/detail/process.hpp>

#include <algorithm>

namespace zerobuffer::detail {

namespace {

void throw_if(const boost::system::error_code& ec, const std::string& what)
{
    if (ec) {
        throw_error(ec, what);
    }
}

} // namespace

reader_impl::reader_impl(std::string_view name, const buffer_config& config)
    : name_(name), config_(config)
{
    const std::string what = "zerobuffer::reader '" + name_ + "'";
    throw_if(validate_name(name), what);
    const auto layout = protocol::make_layout(config.metadata_size, config.payload_size);
    if (!layout || config.mode > 0777) {
        throw_error(errc::invalid_config,
                    what + ": payload size must be > 0, blocks at most 1 TiB, mode at most 0777");
    }
    names_ = names_of(name_);

    boost::system::error_code ec;
    cleanup_stale_resources();
    ensure_lock_directory(lock_directory(), ec);
    throw_if(ec, what + ": lock directory " + lock_directory());
    lock_ = lock_file::acquire(names_.lock_file, config.mode, ec);
    throw_if(ec, what + ": lock file " + names_.lock_file);

    // From here on a failure must leave nothing behind.
    struct rollback {
        reader_impl* self;
        ~rollback()
        {
            if (self != nullptr) {
                self->remove_resources();
            }
        }
    } guard{this};

    // We hold the lock, so whatever exists under our names is a dead reader's
    // debris (the Python reference never removes its semaphores).
    shm_segment::remove(names_.segment);
    semaphore::remove(names_.write_semaphore);
    semaphore::remove(names_.read_semaphore);

    // Semaphores first: a writer that finds the segment finds them too.
    sem_w_ = semaphore::create(names_.write_semaphore, config.mode, ec);
    throw_if(ec, what + ": semaphore " + names_.write_semaphore);
    sem_r_ = semaphore::create(names_.read_semaphore, config.mode, ec);
    throw_if(ec, what + ": semaphore " + names_.read_semaphore);
    segment_ = shm_segment::create(names_.segment, layout->segment_size(), config.mode, ec);
    throw_if(ec, what + ": shared memory " + names_.segment + " of " +
                     std::to_string(layout->segment_size()) + " bytes");

    view_ = protocol::segment_view{segment_.data(), *layout};
    protocol::initialize_oieb(view_.oieb(), *layout, current_pid());
    ring_ = protocol::ring_reader(view_);
    // Released bytes go back in batches while the reader is behind: one
    // atomic add on the writer's line per batch instead of per frame.
    ring_.set_return_batch(std::min<std::uint64_t>(config.payload_size / 16, 16 * 1024));
    open_.store(true, std::memory_order_release);
    guard.self = nullptr;
}

reader_impl::~reader_impl()
{
    close();
}

void reader_impl::remove_resources() noexcept
{
    remove_stale_writer_locks(name_);
    shm_segment::remove(names_.segment);
    semaphore::remove(names_.write_semaphore);
    semaphore::remove(names_.read_semaphore);
    lock_.remove_and_release();
}

void reader_impl::close() noexcept
{
    bool was_open = true;
    if (!open_.compare_exchange_strong(was_open, false)) {
        return;
    }
    // Reads waiting on another thread end with operation_aborted: spinning
    // ones at their next peer check, sleeping ones woken by a token.
    closing_.store(true, std::memory_order_seq_cst);
    wake_all_sleepers();
    view_.oieb().store(protocol::oieb_field::reader_pid, 0, std::memory_order_release);
    // The mapping and semaphore handles stay until the last frame is released.
    remove_resources();
}

void reader_impl::detach(std::shared_ptr<reader_impl> self) noexcept
{
    if (!self) {
        return;
    }
    reader_impl& impl = *self;
    const std::lock_guard lock(impl.mutex_);
    if (impl.frames_out_ != 0) {
        impl.keep_alive_ = std::move(self); // the last release ends it
    }
    // Otherwise `self`, a parameter, ends it once the lock is released.
}

} // namespace zerobuffer::detail
