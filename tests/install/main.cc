// A program outside the project that links the installed library: the C++
// example of README.md, run against a fresh engine directory (argv[1]).

#include <dongne/engine.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: app DIR\n";
    return 2;
  }
  auto engine = dongne::Engine::Open(argv[1]);
  dongne::User me = engine->CreateUser("귤러버");
  dongne::User local = engine->CreateUser("제주토박이");
  dongne::Question q = engine->Ask({.author = me.id,
                                    .title = "애월 흑돼지 맛집 추천해주세요",
                                    .body = "가족 여행이에요",
                                    .location = {33.4628, 126.3310},
                                    .category = "food",
                                    .hashtags = {"맛집"}});
  dongne::Answer a = engine->PostAnswer({.question = q.id, .author = local.id,
                                         .body = "숙성도 가보세요"});
  engine->Accept(a.id, me.id);
  dongne::SearchResult found = engine->Search({.text = "애월 흑돼지 맛집",
                                               .near = dongne::LatLon{33.4628, 126.3310}});
  if (found.hits.size() != 1 || found.hits[0].question.id != q.id) {
    std::cerr << "the question was not found\n";
    return 1;
  }
  std::cout << "found " << found.hits[0].question.title << "\n";
  return 0;
}
