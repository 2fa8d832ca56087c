// The /health document.
#include "core/runtime/health.h"

#include <gtest/gtest.h>

namespace {

using conflux::PluginState;
using conflux::core::health_document;
using conflux::core::PluginInfo;

PluginInfo plugin(std::string name, PluginState state, std::string detail = {},
                  bool enabled = true) {
  PluginInfo p;
  p.name = std::move(name);
  p.state = state;
  p.detail = std::move(detail);
  p.enabled = enabled;
  return p;
}

TEST(Health, PassWhenEveryEnabledPluginRuns) {
  auto doc = health_document({plugin("a", PluginState::running),
                              plugin("off", PluginState::loaded, "disabled by config", false)});
  EXPECT_NE(doc.find(R"("status":"pass")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"("plugin:a":[{"status":"pass","observedValue":"running"}])"),
            std::string::npos)
      << doc;
  EXPECT_EQ(doc.find("off"), std::string::npos) << doc;
}

TEST(Health, WarnWithReasonWhenDegradedOrFailed) {
  auto doc = health_document({plugin("mqtt", PluginState::degraded, "broker \"x\" unreachable"),
                              plugin("bad", PluginState::failed, "start threw")});
  EXPECT_NE(doc.find(R"("status":"warn")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"("output":"broker \"x\" unreachable")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"("plugin:bad":[{"status":"warn","observedValue":"failed")"),
            std::string::npos)
      << doc;
}

}  // namespace
