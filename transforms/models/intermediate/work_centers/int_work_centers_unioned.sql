-- Work centers and their daily hours from every kind of source; latest version per work center.
{{ union_conformed('work_centers', 'plant_code, work_center_code') }}
