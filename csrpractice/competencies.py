"""The competencies a reply is scored on: one list for the scenario format, the history and the reports
(a module of its own, so that commands reading results need not load the scenario format)."""

COMPETENCIES = ("courtesy", "empathy", "ownership", "clarity", "compliance", "problem_solving",
                "professionalism", "knowledge", "structure")
