"""Qt-free domain model: sites, versions, sender settings, advisories, the settings store, scenarios."""
