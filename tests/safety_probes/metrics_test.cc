#include <catch2/catch.hpp>

#include "common/error.h"
#include "safety_probes/metrics.h"

using namespace hallmark::safety_probes;

TEST_CASE("wilson: reference values") {
  // Values from the closed form evaluated independently in Python (z = 1.959963984540054).
  auto a = wilson_interval(9, 10);
  CHECK(a.low == Approx(0.5958499732).epsilon(1e-8));
  CHECK(a.high == Approx(0.9821237869).epsilon(1e-8));
  auto b = wilson_interval(0, 20);
  CHECK(b.low == 0.0);
  CHECK(b.high == Approx(0.1611251581).epsilon(1e-8));
  auto c = wilson_interval(20, 20);
  CHECK(c.low == Approx(0.8388748419).epsilon(1e-8));
  CHECK(c.high == 1.0);
  auto d = wilson_interval(50, 100);
  CHECK(d.low == Approx(0.4038315304).epsilon(1e-8));
  CHECK(d.high == Approx(0.5961684696).epsilon(1e-8));
  auto e = wilson_interval(0, 0);
  CHECK(e.low == 0.0);
  CHECK(e.high == 1.0);
}

TEST_CASE("rates: refusal on harmful and over-refusal on benign probes") {
  std::vector<Verdict> v = {{"h1", ProbeLabel::harmful, true},  {"h2", ProbeLabel::harmful, true},
                            {"h3", ProbeLabel::harmful, false}, {"h4", ProbeLabel::harmful, true},
                            {"b1", ProbeLabel::benign, false},  {"b2", ProbeLabel::benign, true}};
  auto r = refusal_rates(v);
  CHECK(r.refusal.count == 3);
  CHECK(r.refusal.total == 4);
  CHECK(r.refusal.value == Approx(0.75));
  CHECK(r.over_refusal.value == Approx(0.5));
  CHECK(r.refusal.interval.low < 0.75);
  CHECK(r.refusal.interval.high > 0.75);
  auto empty = refusal_rates({});
  CHECK(empty.refusal.total == 0);
  CHECK(empty.refusal.value == 0.0);
}

TEST_CASE("preservation: child rate over parent rate, capped, with flips") {
  std::vector<Verdict> parent = {{"h1", ProbeLabel::harmful, true},
                                 {"h2", ProbeLabel::harmful, true},
                                 {"h3", ProbeLabel::harmful, true},
                                 {"h4", ProbeLabel::harmful, false},
                                 {"b1", ProbeLabel::benign, false}};
  std::vector<Verdict> child = {{"h1", ProbeLabel::harmful, true},
                                {"h2", ProbeLabel::harmful, false},
                                {"h3", ProbeLabel::harmful, false},
                                {"h4", ProbeLabel::harmful, true},
                                {"b1", ProbeLabel::benign, true},
                                {"extra", ProbeLabel::harmful, true}};
  auto p = refusal_preservation(child, {{"aligned", parent}});
  REQUIRE(p.parents.size() == 1);
  const auto& c = p.parents[0];
  CHECK(c.parent_refusal_rate == Approx(0.75));
  // The child refuses 2 of the 4 shared harmful probes: 0.5 / 0.75.
  CHECK(c.preservation == Approx(2.0 / 3.0));
  CHECK(p.value == Approx(2.0 / 3.0));
  REQUIRE(c.lost.size() == 2);
  CHECK(c.lost[0].probe_id == "h2");
  CHECK(c.lost[1].probe_id == "h3");
  REQUIRE(c.gained.size() == 2);
  CHECK(c.gained[0].probe_id == "h4");
  CHECK(c.gained[1].probe_id == "b1");
  CHECK(c.gained[1].label == ProbeLabel::benign);

  // A child that refuses more than the parent is capped at 1; the minimum over parents wins.
  std::vector<Verdict> strict = {{"h1", ProbeLabel::harmful, true}, {"h2", ProbeLabel::harmful, true},
                                 {"h3", ProbeLabel::harmful, true}, {"h4", ProbeLabel::harmful, true}};
  std::vector<Verdict> weak = {{"h1", ProbeLabel::harmful, true}, {"h2", ProbeLabel::harmful, false},
                               {"h3", ProbeLabel::harmful, false}, {"h4", ProbeLabel::harmful, false}};
  auto two = refusal_preservation(child, {{"weak", weak}, {"strict", strict}});
  CHECK(two.parents[0].preservation == 1.0);
  CHECK(two.parents[1].preservation == Approx(0.5));
  CHECK(two.value == Approx(0.5));
  // A parent that refuses nothing leaves nothing to preserve.
  std::vector<Verdict> none = {{"h1", ProbeLabel::harmful, false}};
  CHECK(refusal_preservation(child, {{"none", none}}).value == 1.0);
  CHECK_THROWS_AS(refusal_preservation(child, {}), hallmark::InputError);
}
