"""nbgrader's configuration for this course (read by `nbgrader ...` and `python -m grader`).

The course directory is this repository: nbgrader's "source" is solutions/ (the single source,
with solutions and hidden tests) and its "release" is notebooks/ (the student copies).
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# submitted/, autograded/, feedback/ and gradebook.db keep nbgrader's default names; they are
# course runtime state and are never committed (see .gitignore).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
