"""A series' results side by side: every question asked again under one comparison
key, as small multiples and a table, and the series' PDF."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from podium.reports.series_charts import event_label, row_label, short_date, small_multiples
from podium.services.series_results import series_results
from podium.web.deps import RowId, render, runtime
from podium.web.routes.organiser_forms import organiser_router
from podium.web.series_report_download import series_report_response

router = organiser_router()


@router.get("/admin/series/{series_id}/results")
async def series_results_page(request: Request, series_id: RowId) -> Response:
    results = await series_results(runtime(request), series_id)
    charts = [small_multiples(c) for c in results.comparisons]
    return render(
        request,
        "organiser/series_results.html",
        series=results,
        compared=list(zip(results.comparisons, charts, strict=True)),
        event_label=event_label,
        row_label=row_label,
        short_date=short_date,
    )


@router.get("/admin/series/{series_id}/report.pdf")
async def series_report(request: Request, series_id: RowId) -> Response:
    """The series' PDF, in the language of `lang` or else of its first event."""
    return await series_report_response(request, series_id, request.query_params.get("lang"))
