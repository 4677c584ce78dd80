// The simulator's side of the exam, both parts of it:
//  - the exam taker (a BenchSim): a reply that meets the rubric carries the
//    sim's mark (kSimMeetsMark), one that misses it carries the other; the
//    draw is the simulated model's usual one, so a damaged variant misses more
//    and a reply cut at the token cap loses its mark;
//  - the judge (`qdrift sim --judge`): it reads the transcript from the judge
//    request and follows a fixed rule: PASS when every assistant turn carries
//    the meets mark. It never sees anything but the request, like a real judge.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "qdrift/bench_sim.h"

namespace qdrift {

inline constexpr const char* kSimMeetsMark = "(sim: this reply meets the rubric)";
inline constexpr const char* kSimMissesMark = "(sim: this reply misses the rubric)";

std::unique_ptr<BenchSim> make_exam_sim();
// The sim of a user's exam bench (--bench-file with "exam": 1); null for any other bench.
std::unique_ptr<BenchSim> make_exam_spec_sim(const Bench& bench);

// The sim judge's reply to a judge request: its reasoning, then the verdict
// line. It reverses the verdict on a `flip_share` of requests, chosen by
// hashing `noise` with the request (so the same request gets the same answer,
// and a reworded one may not): an almost, not perfectly, self-consistent judge.
std::string sim_judge_reply(const std::vector<ChatMessage>& messages, std::uint64_t noise, double flip_share = 0.005);

}  // namespace qdrift
