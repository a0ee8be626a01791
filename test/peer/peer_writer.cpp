// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The writer commands of zerobuffer_test_peer: write, write-until-blocked.

#include "peer.hpp"

#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <unistd.h>

#include <algorithm>

namespace zerobuffer::test_peer {

namespace {

using zerobuffer::testing::test_data_patterns;

/// A writer driven by the command line and stdin. Frame s (1, 2, ...) has
/// size sizes[(s - 1) % sizes.size()] and the frame pattern of s.
class writer_session {
public:
    writer_session(const options& opt, zerobuffer::writer& w)
        : opt_(opt), writer_(w),
          data_(std::max<std::size_t>(1, *std::max_element(opt.sizes.begin(), opt.sizes.end())))
    {
    }

    /// Writes `n` frames (`until_error`: until a write fails). Returns the exit code.
    int write_batch(std::uint64_t n, bool until_error = false)
    {
        for (std::uint64_t i = 0; until_error || i < n; ++i) {
            const std::uint64_t seq = next_sequence_;
            const std::size_t size = opt_.sizes[(seq - 1) % opt_.sizes.size()];
            for (;;) {
                try {
                    write_one(seq, size);
                    break;
                } catch (const zerobuffer::buffer_full&) {
                    if (!opt_.retry_on_full) {
                        return report_exception(context(seq));
                    }
                    say("error buffer_full " + context(seq));
                    // The test decides when to try again, and for how long.
                    say("holding");
                    const std::string cmd = next_command();
                    if (!cmd.starts_with("retry ")) {
                        return exit_errc_base + static_cast<int>(errc::buffer_full);
                    }
                    writer_.set_write_timeout(
                        std::chrono::milliseconds(std::stoull(cmd.substr(6))));
                    say("retrying seq=" + std::to_string(seq));
                } catch (...) {
                    return report_exception(context(seq));
                }
            }
            ++next_sequence_;
            if (opt_.print_frames) {
                say("wrote seq=" + std::to_string(seq) + " size=" + std::to_string(size));
            }
        }
        say("done frames=" + std::to_string(writer_.frames_written()) +
            " bytes=" + std::to_string(writer_.bytes_written()));
        return exit_ok;
    }

    /// Takes commands on stdin until "exit" or EOF. Returns the exit code.
    int command_loop(int rc)
    {
        say("holding");
        for (;;) {
            const std::string cmd = next_command();
            if (cmd.empty() || cmd == "exit") {
                return rc;
            }
            if (cmd.starts_with("write ")) {
                rc = write_batch(std::stoull(cmd.substr(6)));
            } else if (cmd == "close") {
                writer_.close();
                say("closed");
            } else {
                say("error unknown-command " + cmd);
            }
        }
    }

private:
    std::string context(std::uint64_t seq) const
    {
        return "seq=" + std::to_string(seq) + " frames=" + std::to_string(writer_.frames_written());
    }

    void write_one(std::uint64_t seq, std::size_t size)
    {
        if (opt_.zero_copy) {
            const std::span<std::byte> area = writer_.get_frame_buffer(size);
            test_data_patterns::fill_frame(area, seq);
            writer_.commit_frame();
        } else {
            const std::span<std::byte> data(data_.data(), size);
            test_data_patterns::fill_frame(data, seq);
            writer_.write_frame(std::span<const std::byte>(data));
        }
    }

    const options& opt_;
    zerobuffer::writer& writer_;
    std::vector<std::byte> data_;
    std::uint64_t next_sequence_ = 1;
};

} // namespace

int run_writer(const options& opt)
{
    say("connecting");
    std::optional<zerobuffer::writer> w;
    try {
        w.emplace(opt.name, opt.writer);
    } catch (...) {
        return report_exception({});
    }
    say("connected pid=" + std::to_string(::getpid()) +
        " max_frame=" + std::to_string(w->max_frame_size()));
    if (opt.metadata_length != 0) {
        try {
            w->set_metadata(test_data_patterns::metadata(opt.metadata_length));
        } catch (...) {
            return report_exception({});
        }
        say("metadata written size=" + std::to_string(opt.metadata_length));
    }
    writer_session session(opt, *w);
    int rc = session.write_batch(opt.count, opt.until_error);
    if (rc == exit_ok && opt.hold_before_exit) {
        rc = session.command_loop(rc);
    }
    if (opt.close) {
        w->close();
        say("closed");
    }
    return rc;
}

} // namespace zerobuffer::test_peer
