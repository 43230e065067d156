"""Versions stored before effort was read as an exact decimal: their JSON floats (a
percentage cell's 56% kept as 56.00000000000001) are read as the decimals that were typed, so
no data migration rewrites a stored version (each keeps its digest) and no page fails."""

import json

from web.reporting import ircn_data, stored


def noisy_version(user):
    """A version as the previous release stored a person's 56% + 14% + 30% typed as
    percentage cells: JSON floats with binary noise."""
    data = ircn_data()
    first = data["roster"][0]
    data["roster"][0:1] = [
        dict(first, site=site, effort_percent=100)
        for site in ("main", "domestic_satellite", "overseas_satellite")
    ]
    version = stored(user, data=data)
    for row, noisy in zip(
        version.data["roster"][:3], (0.56 * 100, 0.14 * 100, 0.3 * 100), strict=True
    ):
        row["effort_percent"] = noisy
    version.save()
    version.refresh_from_db()
    assert version.data["roster"][0]["effort_percent"] == 56.00000000000001
    return version


def test_an_old_version_with_float_noise_reads_exactly(client_as, personas):
    version = noisy_version(personas["ken"])
    client = client_as("hana")
    page = client.get(f"/reports/{version.report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    over = text.index("People whose effort exceeds 100 percent")
    assert text[over : over + 80].split("<dd>")[1].startswith("0<")
    download = client.get(f"/reports/{version.report.pk}/versions/{version.number}.json")
    efforts = [row["effort_percent"] for row in json.loads(download.content)["roster"][:3]]
    assert efforts == [56, 14, 30]
    assert b"56.00000000000001" not in download.content
    csv = client.get(f"/reports/{version.report.pk}/versions/{version.number}.zip")
    assert csv.status_code == 200
