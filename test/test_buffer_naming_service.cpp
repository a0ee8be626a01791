// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#define BOOST_TEST_MODULE buffer_naming_service
#include <boost/test/unit_test.hpp>

#include <zerobuffer/testing/buffer_naming_service.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using naming_service = zerobuffer::testing::buffer_naming_service;

namespace {

// Sets or unsets an environment variable for one scope and restores it after.
class scoped_env {
public:
    scoped_env(const char* name, const char* value) : name_(name)
    {
        if (const char* old = std::getenv(name)) {
            old_ = old;
        }
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
    ~scoped_env()
    {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

bool all_digits(const std::string& s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// Checks that `name` is BASE_<pid>_<digits>.
void check_pid_timestamp_form(const std::string& name, const std::string& base)
{
    const std::string prefix = base + "_" + std::to_string(::getpid()) + "_";
    BOOST_TEST_REQUIRE(name.size() > prefix.size());
    BOOST_TEST(name.substr(0, prefix.size()) == prefix);
    BOOST_TEST(all_digits(name.substr(prefix.size())), name);
}

} // namespace

BOOST_AUTO_TEST_SUITE(buffer_naming_service)

BOOST_AUTO_TEST_CASE(without_harmony_variables_the_id_is_pid_and_timestamp)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    naming_service names;
    check_pid_timestamp_form(names.get_buffer_name("test-buffer"), "test-buffer");
}

BOOST_AUTO_TEST_CASE(timestamp_is_nanoseconds_since_the_epoch)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    const auto before = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    naming_service names;
    const auto name = names.get_buffer_name("t");
    const auto stamp = std::stoll(name.substr(name.rfind('_') + 1));
    // Nanoseconds, not micro- or milliseconds: at least the clock value before the call.
    BOOST_TEST(stamp >= before);
}

BOOST_AUTO_TEST_CASE(with_both_harmony_variables_the_id_is_host_pid_and_feature_id)
{
    scoped_env pid("HARMONY_HOST_PID", "4242");
    scoped_env feature("HARMONY_FEATURE_ID", "feature-17");
    naming_service names;
    BOOST_TEST(names.get_buffer_name("basic") == "basic_4242_feature-17");
    // A second service in the same environment agrees, as peer processes must.
    naming_service other;
    BOOST_TEST(other.get_buffer_name("basic") == "basic_4242_feature-17");
}

BOOST_AUTO_TEST_CASE(with_only_one_harmony_variable_the_id_is_pid_and_timestamp)
{
    {
        scoped_env pid("HARMONY_HOST_PID", "4242");
        scoped_env feature("HARMONY_FEATURE_ID", nullptr);
        naming_service names;
        const auto name = names.get_buffer_name("only-pid");
        check_pid_timestamp_form(name, "only-pid");
    }
    {
        scoped_env pid("HARMONY_HOST_PID", nullptr);
        scoped_env feature("HARMONY_FEATURE_ID", "feature-17");
        naming_service names;
        const auto name = names.get_buffer_name("only-feature");
        check_pid_timestamp_form(name, "only-feature");
        BOOST_TEST(name.find("feature-17") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(same_base_maps_to_the_same_name)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    naming_service names;
    const auto first = names.get_buffer_name("same");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    BOOST_TEST(names.get_buffer_name("same") == first);
    BOOST_TEST(names.get_buffer_name(std::string("same")) == first);
}

BOOST_AUTO_TEST_CASE(same_base_keeps_its_name_when_the_environment_changes)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    naming_service names;
    const auto first = names.get_buffer_name("sticky");
    scoped_env pid2("HARMONY_HOST_PID", "1");
    scoped_env feature2("HARMONY_FEATURE_ID", "2");
    BOOST_TEST(names.get_buffer_name("sticky") == first);
    BOOST_TEST(names.get_buffer_name("fresh") == "fresh_1_2");
}

BOOST_AUTO_TEST_CASE(different_bases_and_services_get_different_names)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    naming_service names;
    naming_service other;
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        seen.insert(names.get_buffer_name("b" + std::to_string(i)));
        seen.insert(other.get_buffer_name("x"));
    }
    // 100 distinct bases plus one stable name of the other service.
    BOOST_TEST(seen.size() == 101U);
    // The same base in two services (two test runs) differs.
    BOOST_TEST(names.get_buffer_name("x") != other.get_buffer_name("x"));
}

BOOST_AUTO_TEST_CASE(clear_forgets_the_mappings)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    naming_service names;
    const auto first = names.get_buffer_name("cleared");
    names.clear();
    const auto second = names.get_buffer_name("cleared");
    check_pid_timestamp_form(second, "cleared");
    BOOST_TEST(second != first);
    BOOST_TEST(names.get_buffer_name("cleared") == second);
}

BOOST_AUTO_TEST_CASE(concurrent_callers_agree_on_each_name)
{
    scoped_env pid("HARMONY_HOST_PID", nullptr);
    scoped_env feature("HARMONY_FEATURE_ID", nullptr);
    naming_service names;
    constexpr int thread_count = 4;
    constexpr int base_count = 50;
    std::vector<std::vector<std::string>> results(thread_count);
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&names, &results, t] {
            for (int i = 0; i < base_count; ++i) {
                results[static_cast<std::size_t>(t)].push_back(
                    names.get_buffer_name("c" + std::to_string(i)));
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    for (int t = 1; t < thread_count; ++t) {
        BOOST_TEST(results[static_cast<std::size_t>(t)] == results[0]);
    }
    const std::set<std::string> distinct(results[0].begin(), results[0].end());
    BOOST_TEST(distinct.size() == static_cast<std::size_t>(base_count));
}

BOOST_AUTO_TEST_SUITE_END()
