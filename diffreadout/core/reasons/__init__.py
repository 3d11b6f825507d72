"""Reasons: why two linked statements differ (attribution, strength, stance, detail, wording)."""
