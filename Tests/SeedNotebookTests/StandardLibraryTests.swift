import Foundation
import SeedLang
import SeedNotebook
import XCTest

/// The modules in `stdlib/`, imported as a notebook imports them. Expected numbers are
/// scipy.spatial.distance's for the same vectors.
final class StandardLibraryTests: XCTestCase {
  static let stdlib = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("stdlib").path

  func run(_ code: String) -> (output: String, error: String?) {
    let notebook = Notebook(file: "stdlib.seednb", title: nil, cellSources: [code])
    let session = NotebookSession(
      notebook: notebook, parameters: [:], modules: ModuleSearchPath(directories: [StandardLibraryTests.stdlib]))
    let result = LargeStack.run { session.run(notebook.cells[0]) }
    return (result.outputs.map(\.plainText).joined(separator: "\n"), result.error?.description)
  }

  func testDistancesMatchScipy() {
    let (output, error) = run(
      """
      import embeddings_utils
      let q = [1.0, 0.0, 0.0]
      let es = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0], vector([-1, 2, 2])]
      print(distances_from_embeddings(q, es))
      print(distances_from_embeddings(q, es, distance_metric: "L1"))
      print(distances_from_embeddings(q, es, distance_metric: "L2"))
      print(distances_from_embeddings(vector(q), es, distance_metric: "Linf"))
      """)
    XCTAssertNil(error)
    XCTAssertEqual(
      output,
      """
      [0.0, 1.0, 0.29289321881345254, 1.3333333333333333]
      [0.0, 2.0, 1.0, 6.0]
      [0.0, 1.4142135623730951, 1.0, 3.4641016151377544]
      [0.0, 1.0, 1.0, 2.0]
      """)
  }

  func testCosineSimilarityAndNearestNeighbours() {
    let (output, error) = run(
      """
      import embeddings_utils
      print(cosine_similarity([1, 0], [2, 0]), cosine_similarity(vector([1, 0]), vector([0, 3])))
      print(indices_of_nearest_neighbors_from_distances([0.3, 0.1, 0.2, 0.1]))
      """)
    XCTAssertNil(error)
    XCTAssertEqual(output, "1.0 0.0\n[1, 3, 2, 0]")
  }

  func testBadMetricAndZeroVectorAreClearErrors() {
    let metric = run("import embeddings_utils\ndistances_from_embeddings([1], [[1]], distance_metric: \"L3\")")
    XCTAssertTrue(
      metric.error?.contains("unknown distance_metric \"L3\"; use one of cosine, L1, L2, Linf") ?? false, metric.error ?? "")
    let zero = run("import embeddings_utils\ncosine_similarity([0, 0], [1, 0])")
    XCTAssertTrue(zero.error?.contains("cosine_similarity() of a zero vector is undefined") ?? false, zero.error ?? "")
  }
}
